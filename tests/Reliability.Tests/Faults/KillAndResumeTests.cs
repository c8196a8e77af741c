using System.Net;
using BackpropService.Reliability.Tests.Harness;
using Xunit.Abstractions;

namespace BackpropService.Reliability.Tests.Faults;

/// <summary>SIGKILL mid-job, restart on the same database: the job ends exactly where an uninterrupted run ends.</summary>
public sealed class KillAndResumeTests(ITestOutputHelper output)
{
    private const int Epochs = 2_000;
    // Held at CheckpointAt past the checkpoint interval, so that epoch is checkpointed when released; then held at
    // KillAt, where it is killed with the history stored beyond its checkpoint.
    private const int CheckpointAt = 500;
    private const int KillAt = 1_500;
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task KilledMidJobResumesBitIdenticalWithWholeHistoryAndEverythingStreamedKept()
    {
        using var db = new TempDatabase();
        using var hold = new ProcessHold(CheckpointAt, KillAt);
        string jobId, queuedId, networkId, datasetId;
        List<EpochCost> streamed;

        await using (var first = await ServiceProcess.StartAsync(db.Path, db.InstanceName, new Dictionary<string, string>(hold.Settings)
        {
            ["Training__MaxConcurrentJobs"] = "1",
            ["Training__CheckpointInterval"] = CheckpointInterval.ToString(),
        }))
        {
            (networkId, datasetId) = await first.Client.CreateNetworkAndDatasetAsync();
            jobId = await first.Client.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, Epochs), HttpStatusCode.Accepted);
            // With one worker slot this one waits behind the first: it must still be queued after the crash.
            queuedId = await first.Client.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, 50, seed: 7), HttpStatusCode.Accepted);
            await using var watcher = await StreamWatcher.ConnectAsync(first.BaseAddress);
            var stream = await watcher.SubscribeAsync(jobId);

            // A checkpoint well into the run (optimizer moments and RNG far from their start): the hold outlasts the
            // checkpoint interval (a wait for the clock, not for the job), so the held epoch is checkpointed on release.
            Assert.Equal(jobId, await hold.ReachedAsync(CheckpointAt, TimeSpan.FromSeconds(60), () => first.RecentOutput));
            await Task.Delay(CheckpointInterval);
            hold.Release(CheckpointAt);
            Assert.Equal(jobId, await hold.ReachedAsync(KillAt, TimeSpan.FromSeconds(60), () => first.RecentOutput));
            // Kill once everything before the held epoch was stored and streamed.
            await Wait.UntilAsync(() => stream.Points.Count > 0 && stream.Points[^1].Epoch == KillAt - 1, TimeSpan.FromSeconds(30), () => first.RecentOutput);
            output.WriteLine($"killing at epoch {db.EpochsCompleted(jobId)}, checkpoint {db.CheckpointEpoch(jobId)}");
            await first.KillAsync();
            streamed = stream.Points.ToList();
        }

        Assert.Equal("Running", db.JobStatus(jobId));
        Assert.Equal(KillAt - 1, db.EpochsCompleted(jobId));
        Assert.Equal("Queued", db.JobStatus(queuedId));
        Assert.Equal(0, db.JobAttempts(queuedId));
        Assert.NotEmpty(streamed);
        Assert.InRange(db.CheckpointEpoch(jobId) ?? 0, CheckpointAt, KillAt - 1); // never ahead of the stored history

        await using var second = await ServiceProcess.StartAsync(db.Path, db.InstanceName);
        // The reference: the same job, never interrupted, in the same build.
        var referenceId = await second.Client.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, Epochs), HttpStatusCode.Accepted);
        var resumed = await second.Client.WaitForFinishAsync(jobId, TimeSpan.FromSeconds(120));
        var reference = await second.Client.WaitForFinishAsync(referenceId, TimeSpan.FromSeconds(120));
        var queued = await second.Client.WaitForFinishAsync(queuedId, TimeSpan.FromSeconds(60));
        Assert.Equal("succeeded", JobClient.Status(resumed));
        Assert.Equal("succeeded", JobClient.Status(reference));
        Assert.Equal("succeeded", JobClient.Status(queued));
        Assert.Equal(2, resumed["attempts"]!.GetValue<int>());

        Assert.Equal(await second.Client.WeightsAsync(referenceId), await second.Client.WeightsAsync(jobId));
        var history = await second.Client.HistoryAsync(jobId);
        Assert.Equal(Enumerable.Range(1, Epochs), history.Select(p => p.Epoch));
        Assert.Equal(await second.Client.HistoryAsync(referenceId), history);

        // Everything a client saw before the crash is in /history after it, with the same cost.
        var stored = history.ToDictionary(p => p.Epoch, p => p.CostBits);
        Assert.All(streamed, p => Assert.Equal(p.CostBits, stored[p.Epoch]));
    }
}
