using System.Net;
using BackpropService.Api.Training;
using BackpropService.Reliability.Tests.Harness;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BackpropService.Reliability.Tests.Faults;

/// <summary>
/// A job ends when its last epochs are stored, not when its slowest subscriber has taken them: its status and
/// finishedAt are set while they are still being sent; the subscriber then gets them, and only then the status.
/// A subscriber that joins meanwhile waits until both are out, so it sees neither.
/// </summary>
public sealed class SlowFinalStreamTests
{
    private const int Epochs = 3_000;

    [Fact]
    public async Task TheJobIsFinishedBeforeItsLastEpochsAreSentAndTheStatusMessageFollowsThem()
    {
        HeldStreamLifetimeManager? held = null;
        Task<StreamWatcher>? late = null;
        await using var app = new InProcessService(services: s => s.AddSingleton<HubLifetimeManager<TrainingHub>>(provider => held =
            new HeldStreamLifetimeManager(new DefaultHubLifetimeManager<TrainingHub>(provider.GetRequiredService<ILogger<DefaultHubLifetimeManager<TrainingHub>>>()), Epochs)));
        var address = app.Listen();
        using var http = new HttpClient { BaseAddress = address };
        var (networkId, datasetId) = await http.CreateNetworkAndDatasetAsync();
        var jobId = await http.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, Epochs), HttpStatusCode.Accepted);
        await using var watcher = await StreamWatcher.SubscribeAsync(address, jobId);

        try
        {
            await held!.Reached.Task.WaitAsync(TimeSpan.FromSeconds(60));
            var job = await http.GetJsonAsync($"/api/jobs/{jobId}");
            Assert.Equal("succeeded", Workload.Status(job));
            Assert.Equal(Epochs, Workload.EpochsCompleted(job));
            Assert.NotNull(job["finishedAt"]);
            Assert.Equal(Enumerable.Range(1, Epochs), (await http.HistoryAsync(jobId)).Select(p => p.Epoch));
            Assert.DoesNotContain(Epochs, watcher.Epochs.Select(p => p.Epoch));
            Assert.False(watcher.Finished.Task.IsCompleted, "the status came before the last epochs");
            // A subscriber arriving now waits for the last epochs and the status message to go out (the job's gate).
            late = StreamWatcher.SubscribeAsync(address, jobId);
            await Task.Delay(200);
            Assert.False(late.IsCompleted, "Subscribe returned while the job's last epochs were still being sent");
        }
        finally
        {
            held!.Release.TrySetResult(); // a failed check must not leave the host's shutdown waiting on it
        }
        Assert.Equal("succeeded", await watcher.Finished.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(Enumerable.Range(watcher.SubscribedAt + 1, Epochs - watcher.SubscribedAt), watcher.Epochs.Select(p => p.Epoch));

        // It got k = N and the final status from Subscribe, and nothing after: no epoch ≤ k, no status change before it.
        await using var lateWatcher = await late!.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Epochs, lateWatcher.SubscribedAt);
        Assert.Empty(lateWatcher.Epochs);
        Assert.Empty(lateWatcher.Statuses);
    }
}
