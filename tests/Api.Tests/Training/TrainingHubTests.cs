using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.TestHost;

namespace BackpropService.Api.Tests.Training;

public sealed class TrainingHubTests
{
    private sealed class Recorder
    {
        public ConcurrentQueue<(int Epoch, double? Cost)> Epochs { get; } = new();
        public ConcurrentQueue<string> Statuses { get; } = new();
        public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Attach(HubConnection connection)
        {
            connection.On<JsonElement>("epochs", message =>
            {
                foreach (var p in message.GetProperty("points").EnumerateArray())
                    Epochs.Enqueue((p.GetProperty("epoch").GetInt32(), p.GetProperty("cost").ValueKind == JsonValueKind.Null ? null : p.GetProperty("cost").GetDouble()));
            });
            connection.On<JsonElement>("status", job =>
            {
                var status = job.GetProperty("status").GetString()!;
                Statuses.Enqueue(status);
                if (status is "succeeded" or "failed" or "cancelled") Finished.TrySetResult();
            });
        }
    }

    [Fact]
    public async Task SubscribersReceiveEveryEpochAfterTheirSubscriptionExactlyOnceInOrder()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        const int epochs = 60_000;
        var jobId = await client.CreateJobAsync(networkId, datasetId, epochs);

        // One subscriber from the start, one that joins mid-training.
        await using var early = await HubClient.ConnectAsync(app);
        var earlyRecorder = new Recorder();
        earlyRecorder.Attach(early);
        var earlyJob = await early.InvokeAsync<JsonElement>("Subscribe", jobId);
        var earlyK = earlyJob.GetProperty("epochsCompleted").GetInt32();

        await client.WaitForJobAsync(jobId, j => j["epochsCompleted"]!.GetValue<int>() > 1000 || ApiClient.IsFinished(j));
        await using var late = await HubClient.ConnectAsync(app);
        var lateRecorder = new Recorder();
        lateRecorder.Attach(late);
        var lateJob = await late.InvokeAsync<JsonElement>("Subscribe", jobId);
        var lateK = lateJob.GetProperty("epochsCompleted").GetInt32();
        Assert.True(lateK > 0);

        // A subscriber that joined after the end gets no status message; it has nothing more to receive.
        foreach (var (recorder, job) in new[] { (earlyRecorder, earlyJob), (lateRecorder, lateJob) })
            if (job.GetProperty("status").GetString() is "succeeded") { recorder.Statuses.Enqueue("succeeded"); recorder.Finished.TrySetResult(); }
        await earlyRecorder.Finished.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await lateRecorder.Finished.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var history = await client.HistoryAsync(jobId);
        Assert.Equal(epochs, history.Count);

        foreach (var (recorder, k) in new[] { (earlyRecorder, earlyK), (lateRecorder, lateK) })
        {
            var received = recorder.Epochs.ToList();
            Assert.Equal(Enumerable.Range(k + 1, epochs - k), received.Select(p => p.Epoch));
            Assert.Equal(history.Skip(k), received);
            Assert.Equal("succeeded", recorder.Statuses.Last());
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
