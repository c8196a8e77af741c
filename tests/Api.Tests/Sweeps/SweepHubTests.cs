using System.Collections.Concurrent;
using System.Text.Json;
using BackpropService.Api.Testing;
using BackpropService.Api.Tests.Training;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace BackpropService.Api.Tests.Sweeps;

/// <summary>The hub's sweep stream: SubscribeSweep returns the sweep; trial progress while running, each status change, and the sweep on each change.</summary>
public sealed class SweepHubTests
{
    [Fact]
    public async Task ASweepSubscriberGetsTrialProgressEachStatusChangeAndTheSweepAsItChanges()
    {
        await using var app = new BackpropApplication(settings: new Dictionary<string, string?> { ["Training:MaxConcurrentJobs"] = "1" });
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        await using var connection = await HubClient.ConnectAsync(app);
        var trials = new ConcurrentQueue<JsonElement>();
        var sweeps = new ConcurrentQueue<JsonElement>();
        connection.On<JsonElement>("trial", m => trials.Enqueue(m));
        connection.On<JsonElement>("sweep", m => sweeps.Enqueue(m));

        string sweepId, held;
        using (var hold = EpochHold.Arm(app.InstanceName, 20))
        {
            sweepId = (await client.CreateSweepAsync(SweepClient.Xor(networkId, datasetId, 30, """ "grid": { "seed": [1, 2] } """)))["id"]!.GetValue<string>();
            var subscribed = await connection.InvokeAsync<JsonElement>("SubscribeSweep", sweepId);
            Assert.Equal(sweepId, subscribed.GetProperty("id").GetString());
            Assert.Equal(2, subscribed.GetProperty("trials").GetProperty("total").GetInt32());
            held = await hold.Reached.WaitAsync(TimeSpan.FromSeconds(60));
            // Held at epoch 20, the trial flushes nothing new, yet its progress keeps coming (at least once a second).
            await Wait.UntilAsync(() => trials.Count(t => Is(t, held, "running") && t.GetProperty("epochsCompleted").GetInt32() == 19) >= 2,
                TimeSpan.FromSeconds(30), () => $"two progress messages of the held trial; got {trials.Count}");
        }
        await Wait.UntilAsync(() => sweeps.Any(s => s.GetProperty("status").GetString() == "succeeded"), TimeSpan.FromSeconds(60),
            () => $"the sweep's last message; got {string.Join(" ", sweeps.Select(s => s.GetProperty("status").GetString()))}");

        var jobs = (await client.TrialsAsync(sweepId)).Select(t => t["jobId"]!.GetValue<string>()).ToList();
        foreach (var job in jobs)
        {
            Assert.Contains(trials, t => Is(t, job, "running"));
            var last = trials.Last(t => t.GetProperty("jobId").GetString() == job);
            Assert.Equal("succeeded", last.GetProperty("status").GetString());
            Assert.Equal(30, last.GetProperty("epochsCompleted").GetInt32());
        }
        var counts = sweeps.Select(s => s.GetProperty("trials").GetProperty("succeeded").GetInt32()).ToList();
        Assert.Equal(counts.Order(), counts);
        Assert.Equal(2, counts[^1]);

        await connection.InvokeAsync("UnsubscribeSweep", sweepId);
        var error = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<JsonElement>("SubscribeSweep", "no-such-sweep"));
        Assert.Contains("no-such-sweep", error.Message);
    }

    private static bool Is(JsonElement trial, string jobId, string status) =>
        trial.GetProperty("jobId").GetString() == jobId && trial.GetProperty("status").GetString() == status;
}
