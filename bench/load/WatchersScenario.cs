using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace BackpropService.LoadTest;

/// <summary><paramref name="watchers"/> SignalR clients subscribe to one job: each receives every epoch after its subscription, once, in order.</summary>
public static class WatchersScenario
{
    public sealed record Result(int Watchers, int Epochs, int Complete, long EpochsDelivered, double Seconds)
    {
        public override string ToString() =>
            $"{Watchers} SignalR clients watching one {Epochs}-epoch job: {Complete} received every epoch exactly once in order ({EpochsDelivered} epochs delivered in {Seconds:F1} s)";
    }

    /// <param name="workers">The service's Training:MaxConcurrentJobs: that many blockers keep the watched job queued until all have subscribed.</param>
    public static async Task<Result> RunAsync(LoadClient client, int watchers, int epochs, int workers, TimeSpan timeout)
    {
        var (networkId, datasetId) = await client.CreateXorAsync();
        var blockers = new List<string>();
        for (var i = 0; i < workers; i++) blockers.Add(await client.CreateJobAsync(networkId, datasetId, 10_000_000, seed: 1000 + i));
        foreach (var blocker in blockers)
            await client.WaitUntilAsync(blocker, j => j["status"]!.GetValue<string>() == "running", timeout, "running");
        var jobId = await client.CreateJobAsync(networkId, datasetId, epochs);
        if ((await client.GetJobAsync(jobId))["status"]!.GetValue<string>() != "queued")
            throw new InvalidOperationException("The watched job started before its watchers subscribed; pass --workers with the service's MaxConcurrentJobs.");
        var clock = Stopwatch.StartNew();
        var connections = new List<(HubConnection Connection, int SubscribedAt, ConcurrentQueue<int> Epochs, TaskCompletionSource Done)>();
        try
        {
            await Task.WhenAll(Enumerable.Range(0, watchers).Select(async _ =>
            {
                var received = new ConcurrentQueue<int>();
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var connection = new HubConnectionBuilder()
                    .WithUrl(new Uri(client.BaseAddress, "/hubs/training"), o =>
                    {
                        o.Transports = HttpTransportType.WebSockets;
                        o.SkipNegotiation = true;
                        if (client.ApiKey is { } key) o.AccessTokenProvider = () => Task.FromResult<string?>(key);
                    })
                    .Build();
                connection.On<JsonElement>("epochs", m => { foreach (var p in m.GetProperty("points").EnumerateArray()) received.Enqueue(p.GetProperty("epoch").GetInt32()); });
                connection.On<JsonElement>("status", j => { if (j.GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled") done.TrySetResult(); });
                // Bounded: a start or a Subscribe that is never answered fails the scenario instead of hanging it.
                using var deadline = new CancellationTokenSource(timeout);
                await connection.StartAsync(deadline.Token);
                var job = await connection.InvokeAsync<JsonElement>("Subscribe", jobId, deadline.Token);
                var at = job.GetProperty("epochsCompleted").GetInt32();
                if (job.GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled") done.TrySetResult();
                lock (connections) connections.Add((connection, at, received, done));
            }));
            // Everyone subscribed while the job was queued (k = 0): now let it run.
            foreach (var blocker in blockers) await client.Http.PostAsync($"/api/jobs/{blocker}/cancel", null);
            await Task.WhenAll(connections.Select(c => c.Done.Task)).WaitAsync(timeout);
            var complete = connections.Count(c => c.Epochs.SequenceEqual(Enumerable.Range(c.SubscribedAt + 1, epochs - c.SubscribedAt)));
            return new Result(watchers, epochs, complete, connections.Sum(c => (long)c.Epochs.Count), clock.Elapsed.TotalSeconds);
        }
        finally
        {
            foreach (var c in connections) await c.Connection.DisposeAsync();
        }
    }
}
