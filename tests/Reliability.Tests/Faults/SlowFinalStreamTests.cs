using System.Net;
using BackpropService.Api.Testing;
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
    private const int Epochs = 300;

    [Fact]
    public async Task TheJobIsFinishedBeforeItsLastEpochsAreSentAndTheStatusMessageFollowsThem()
    {
        HeldStreamLifetimeManager? held = null;
        var probe = new SubscribeProbe();
        Task<JobStream>? late = null;
        await using var app = new InProcessService(services: s =>
        {
            s.AddSingleton<HubLifetimeManager<TrainingHub>>(provider => held =
                new HeldStreamLifetimeManager(new DefaultHubLifetimeManager<TrainingHub>(provider.GetRequiredService<ILogger<DefaultHubLifetimeManager<TrainingHub>>>()), Epochs));
            s.Configure<HubOptions>(o => o.AddFilter(probe)); // global: HubOptions<T> counts only when set through AddHubOptions
        });
        var address = app.Listen();
        using var http = new HttpClient { BaseAddress = address };
        var (networkId, datasetId) = await http.CreateNetworkAndDatasetAsync();
        // Held at its first epoch until subscribed: a Subscribe after the held (last) message would wait for the job's
        // stream gate, which that message holds until released below, and never be answered.
        using var start = EpochHold.Arm(app.Database.InstanceName, 1);
        var jobId = await http.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, Epochs), HttpStatusCode.Accepted);
        Assert.Equal(jobId, await start.Reached.WaitAsync(TimeSpan.FromSeconds(60)));
        await using var watcher = await StreamWatcher.ConnectAsync(address);
        await using var lateWatcher = await StreamWatcher.ConnectAsync(address);
        JobStream stream;

        try
        {
            stream = await watcher.SubscribeAsync(jobId);
            start.Release();
            await held!.Reached.Task.WaitAsync(TimeSpan.FromSeconds(60));
            var job = await http.GetJsonAsync($"/api/jobs/{jobId}");
            Assert.Equal("succeeded", JobClient.Status(job));
            Assert.Equal(Epochs, JobClient.EpochsCompleted(job));
            Assert.NotNull(job["finishedAt"]);
            Assert.Equal(Enumerable.Range(1, Epochs), (await http.HistoryAsync(jobId)).Select(p => p.Epoch));
            Assert.DoesNotContain(Epochs, stream.Points.Select(p => p.Epoch));
            Assert.False(stream.Finished.IsCompleted, "the status came before the last epochs");
            // A subscriber arriving now waits for the last epochs and the status message to go out (the job's gate):
            // its Subscribe reaches the hub while the last message is held, and must not return before the release.
            var entered = probe.Watch(held.Release.Task);
            late = lateWatcher.SubscribeAsync(jobId);
            await entered.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            held?.Release.TrySetResult(); // a failed check must not leave the host's shutdown waiting on it
        }
        Assert.False(await probe.ReturnedEarly.WaitAsync(TimeSpan.FromSeconds(30)), "Subscribe returned while the job's last epochs were still being sent");
        Assert.Equal("succeeded", await stream.Finished.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(Enumerable.Range(stream.SubscribedAt + 1, Epochs - stream.SubscribedAt), stream.Points.Select(p => p.Epoch));

        // It got k = N and the final status from Subscribe, and nothing after: no epoch ≤ k, no status change before it.
        var lateStream = await late!.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Epochs, lateStream.SubscribedAt);
        Assert.Empty(lateStream.Points);
        Assert.Empty(lateStream.Statuses);
    }
}
