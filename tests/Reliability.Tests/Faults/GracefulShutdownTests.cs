using System.Net;
using BackpropService.Reliability.Tests.Harness;

namespace BackpropService.Reliability.Tests.Faults;

/// <summary>SIGTERM: the running job checkpoints at an epoch boundary, keeps its place, and resumes on the next start.</summary>
public sealed class GracefulShutdownTests
{
    private const int Epochs = 2_000;
    private const int HeldAt = 200;

    [Fact]
    public async Task SigtermCheckpointsTheRunningJobWhichResumesWhereItStoppedOnTheNextStart()
    {
        using var db = new TempDatabase();
        // A long checkpoint interval: the only checkpoint at the stop is the one the shutdown takes.
        var settings = new Dictionary<string, string> { ["Training__CheckpointInterval"] = "00:10:00" };
        string jobId;
        long stoppedAt;
        using (var hold = new ProcessHold(HeldAt))
        await using (var first = await ServiceProcess.StartAsync(db.Path, db.InstanceName, new Dictionary<string, string>(settings.Concat(hold.Settings))
        {
            // The held job reaches its epoch boundary when the shutdown gives up waiting for it: soon.
            ["Training__ShutdownCheckpointTimeout"] = "00:00:00.500",
        }))
        {
            var (networkId, datasetId) = await first.Client.CreateNetworkAndDatasetAsync();
            jobId = await first.Client.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, Epochs), HttpStatusCode.Accepted);
            Assert.Equal(jobId, await hold.ReachedAsync(TimeSpan.FromSeconds(60), () => first.RecentOutput));
            await first.Client.WaitForJobAsync(jobId, j => JobClient.EpochsCompleted(j) == HeldAt - 1);
            // At most the checkpoint every attempt takes after its first epoch; none near the epoch it will stop at.
            Assert.True(db.CheckpointEpoch(jobId) is null or <= 1, $"checkpoint at {db.CheckpointEpoch(jobId)}");

            // SIGTERM while the job is held at the start of epoch HeldAt: the stop is requested first, then the
            // epoch ends (the hold lets go when the stop's timeout cancels the attempt) and is checkpointed.
            var exitCode = await first.TerminateAsync(TimeSpan.FromSeconds(30));
            Assert.True(exitCode == 0, $"exit code {exitCode}:\n{first.RecentOutput}");
            stoppedAt = db.EpochsCompleted(jobId);
            Assert.Equal(HeldAt, stoppedAt);
        }

        // Still running (to be resumed), checkpointed exactly at the last stored epoch, the stop not counted as a crash,
        // and its last flush sent before it stopped: a successor on another replica has nothing to re-send.
        Assert.Equal("Running", db.JobStatus(jobId));
        Assert.Equal(stoppedAt, db.CheckpointEpoch(jobId));
        Assert.Equal(0, db.JobAttempts(jobId));
        Assert.Equal(stoppedAt, db.StreamedThrough(jobId));

        await using var second = await ServiceProcess.StartAsync(db.Path, db.InstanceName, settings);
        // Resumed at once (the lease was released), not after a lease timeout, and from the checkpoint: no epoch lost.
        var running = await second.Client.WaitForJobAsync(jobId, j => JobClient.IsFinished(j) || JobClient.EpochsCompleted(j) > stoppedAt, TimeSpan.FromSeconds(10));
        Assert.True(JobClient.EpochsCompleted(running) >= stoppedAt);
        var job = await second.Client.WaitForFinishAsync(jobId, TimeSpan.FromSeconds(120));
        Assert.Equal("succeeded", JobClient.Status(job));
        Assert.Equal(1, job["attempts"]!.GetValue<int>());
        Assert.Equal(Enumerable.Range(1, Epochs), (await second.Client.HistoryAsync(jobId)).Select(p => p.Epoch));
    }
}
