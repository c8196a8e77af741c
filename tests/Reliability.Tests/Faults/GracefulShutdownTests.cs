using System.Net;
using BackpropService.Reliability.Tests.Harness;

namespace BackpropService.Reliability.Tests.Faults;

/// <summary>SIGTERM: the running job checkpoints at an epoch boundary, keeps its place, and resumes on the next start.</summary>
public sealed class GracefulShutdownTests
{
    // Long enough that the SIGTERM lands mid-job with room to spare: the job trains ~3,000 epochs a second and the
    // poll below first sees it at 900-1,400 epochs; at 2,400 epochs a loaded CI machine once let it finish first.
    private const int Epochs = 12_000;

    [Fact]
    public async Task SigtermCheckpointsTheRunningJobWhichResumesWhereItStoppedOnTheNextStart()
    {
        using var db = new TempDatabase();
        // A long checkpoint interval: the only checkpoint at the stop is the one the shutdown takes.
        var settings = new Dictionary<string, string> { ["Training__CheckpointInterval"] = "00:10:00" };
        string jobId;
        long stoppedAt;
        await using (var first = await ServiceProcess.StartAsync(db.Path, db.InstanceName, settings))
        {
            var (networkId, datasetId) = await first.Client.CreateNetworkAndDatasetAsync();
            jobId = await first.Client.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, Epochs), HttpStatusCode.Accepted);
            await first.Client.WaitForJobAsync(jobId, j => Workload.EpochsCompleted(j) >= 200, TimeSpan.FromSeconds(60));
            // At most the checkpoint every attempt takes after its first epoch; none near the epoch it will stop at.
            Assert.True(db.CheckpointEpoch(jobId) is null or <= 1, $"checkpoint at {db.CheckpointEpoch(jobId)}");

            var exitCode = await first.TerminateAsync(TimeSpan.FromSeconds(30));
            Assert.True(exitCode == 0, $"exit code {exitCode}:\n{first.RecentOutput}");
            stoppedAt = db.EpochsCompleted(jobId);
            Assert.True(stoppedAt < Epochs, "the job should still have been running at the SIGTERM");
        }

        // Still running (to be resumed), checkpointed exactly at the last stored epoch, the stop not counted as a crash,
        // and its last flush sent before it stopped: a successor on another replica has nothing to re-send.
        Assert.Equal("Running", db.JobStatus(jobId));
        Assert.Equal(stoppedAt, db.CheckpointEpoch(jobId));
        Assert.Equal(0, db.JobAttempts(jobId));
        Assert.Equal(stoppedAt, db.StreamedThrough(jobId));

        await using var second = await ServiceProcess.StartAsync(db.Path, db.InstanceName, settings);
        // Resumed at once (the lease was released), not after a lease timeout, and from the checkpoint: no epoch lost.
        var running = await second.Client.WaitForJobAsync(jobId, j => Workload.IsFinished(j) || Workload.EpochsCompleted(j) > stoppedAt, TimeSpan.FromSeconds(10));
        Assert.True(Workload.EpochsCompleted(running) >= stoppedAt);
        var job = await second.Client.WaitForFinishAsync(jobId, TimeSpan.FromSeconds(120));
        Assert.Equal("succeeded", Workload.Status(job));
        Assert.Equal(1, job["attempts"]!.GetValue<int>());
        Assert.Equal(Enumerable.Range(1, Epochs), (await second.Client.HistoryAsync(jobId)).Select(p => p.Epoch));
    }
}
