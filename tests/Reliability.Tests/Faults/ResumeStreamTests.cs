using System.Net;
using BackpropService.Reliability.Tests.Harness;
using Xunit.Abstractions;

namespace BackpropService.Reliability.Tests.Faults;

/// <summary>
/// A takeover after a crash does not stream epochs twice: the successor resumes from the (older) checkpoint, replays
/// the epochs already stored without sending them, and streams from the first epoch after the stored history.
/// </summary>
public sealed class ResumeStreamTests(ITestOutputHelper output)
{
    private const int Epochs = 2_000;
    private const int KillAt = 500;

    [Fact]
    public async Task ASubscriberOfTheSuccessorGetsEveryEpochAfterItsSubscriptionExactlyOnceAcrossATakeover()
    {
        using var db = new TempDatabase();
        // Its only checkpoint is at the attempt's first epoch, so the successor must replay the stored epochs silently.
        var (jobId, networkId, datasetId) = await AbandonedJob.CreateAsync(db, Epochs, KillAt);
        var settings = new Dictionary<string, string>
        {
            ["Training__LeaseDuration"] = "00:00:03",
            ["Training__MaxConcurrentJobs"] = "1",
            ["Training__CheckpointInterval"] = "01:00:00",
        };
        var storedAt = (int)db.EpochsCompleted(jobId);
        var checkpoint = db.CheckpointEpoch(jobId) ?? 0;
        output.WriteLine($"killed with history up to epoch {storedAt}, checkpoint at {checkpoint}");
        Assert.Equal(KillAt - 1, storedAt);
        Assert.True(checkpoint < storedAt, "the test needs stored history beyond the checkpoint");
        // Even had the dead owner stored epochs it never sent, a lone replica re-sends nothing: that owner's subscribers
        // went with its process, and every new one reads stored epochs from /history (TakeoverResendTests: replicas).
        db.SetStreamedThrough(jobId, checkpoint);

        await using var b = await ServiceProcess.StartAsync(db.Path, db.InstanceName + "-b", settings);
        // Subscribed before the takeover (the dead owner's lease is pinned until then): k is the stored history's end.
        await using var watcher = await StreamWatcher.ConnectAsync(b.BaseAddress);
        var stream = await watcher.SubscribeAsync(jobId);
        Assert.Equal(storedAt, stream.SubscribedAt);
        AbandonedJob.LetLeaseLapse(db, jobId);
        var job = await b.Client.WaitForFinishAsync(jobId, TimeSpan.FromSeconds(120));
        Assert.Equal("succeeded", JobClient.Status(job));
        Assert.Equal("succeeded", await stream.Finished.WaitAsync(TimeSpan.FromSeconds(30)));

        // Every epoch k+1…N exactly once, in order, each with the cost /history holds; the history is whole.
        var streamed = stream.Points.ToList();
        Assert.Equal(Enumerable.Range(storedAt + 1, Epochs - storedAt), streamed.Select(p => p.Epoch));
        var history = await b.Client.HistoryAsync(jobId);
        Assert.Equal(Enumerable.Range(1, Epochs), history.Select(p => p.Epoch));
        Assert.Equal(history.Skip(storedAt), streamed);

        // And the job ends bit-identical to an uninterrupted run.
        var referenceId = await b.Client.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, Epochs), HttpStatusCode.Accepted);
        Assert.Equal("succeeded", JobClient.Status(await b.Client.WaitForFinishAsync(referenceId, TimeSpan.FromSeconds(120))));
        Assert.Equal(await b.Client.HistoryAsync(referenceId), history);
        Assert.Equal(await b.Client.WeightsAsync(referenceId), await b.Client.WeightsAsync(jobId));
    }
}
