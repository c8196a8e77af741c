using System.Text.Json;
using BackpropService.Api.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.TestHost;

namespace BackpropService.Api.Tests.Training;

public sealed class TrainingHubTests
{
    [Fact]
    public async Task SubscribersReceiveEveryEpochAfterTheirSubscriptionExactlyOnceInOrder()
    {
        await using var app = new BackpropApplication();
        // The late subscriber joins while the job is held mid-training: k = HeldAt − 1 once that much is stored.
        const int epochs = 3_000, heldAt = 1_001;
        using var hold = EpochHold.Arm(app.InstanceName, heldAt);
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var jobId = await client.CreateJobAsync(networkId, datasetId, epochs);

        // One subscriber from the start, one that joins mid-training.
        await using var early = await StreamWatcher.WatchAsync(await HubClient.ConnectAsync(app));
        var earlyStream = await early.SubscribeAsync(jobId);

        Assert.Equal(jobId, await hold.Reached.WaitAsync(TimeSpan.FromSeconds(60)));
        await client.WaitForJobAsync(jobId, j => JobClient.EpochsCompleted(j) == heldAt - 1);
        await using var late = await StreamWatcher.WatchAsync(await HubClient.ConnectAsync(app));
        var lateStream = await late.SubscribeAsync(jobId);
        Assert.Equal(heldAt - 1, lateStream.SubscribedAt);
        hold.Release();

        Assert.Equal("succeeded", await earlyStream.Finished.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal("succeeded", await lateStream.Finished.WaitAsync(TimeSpan.FromSeconds(60)));
        var history = await client.HistoryAsync(jobId);
        Assert.Equal(epochs, history.Count);

        foreach (var stream in new[] { earlyStream, lateStream })
        {
            var k = stream.SubscribedAt;
            var received = stream.Points;
            Assert.Equal(Enumerable.Range(k + 1, epochs - k), received.Select(p => p.Epoch));
            Assert.Equal(history.Skip(k), received);
            Assert.Equal("succeeded", stream.Statuses[^1]);
        }
    }

    [Fact]
    public async Task SubscribingToAnUnknownJobIsAHubError()
    {
        await using var app = new BackpropApplication();
        await using var connection = await HubClient.ConnectAsync(app);
        var error = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<JsonElement>("Subscribe", "no-such-job"));
        Assert.Contains("no-such-job", error.Message);
        await connection.InvokeAsync("Unsubscribe", "no-such-job");
    }
}
