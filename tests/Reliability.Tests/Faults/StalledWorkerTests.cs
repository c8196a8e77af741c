using System.Net;
using BackpropService.Reliability.Tests.Harness;
using Xunit.Abstractions;

namespace BackpropService.Reliability.Tests.Faults;

/// <summary>
/// A worker frozen past its lease (SIGSTOP) while another instance takes the job over, then woken (SIGCONT): its
/// late writes are fenced off by the attempt token, so the job ends exactly as an uninterrupted run.
/// </summary>
public sealed class StalledWorkerTests(ITestOutputHelper output)
{
    // Long enough that the kill (or freeze) lands mid-job with room to spare: the job trains ~3,000 epochs a second
    // here and is stopped after a tenth of them; at 2,400 epochs a loaded CI machine once let it finish first.
    private const int Epochs = 12_000;

    [Fact]
    public async Task AWorkerWokenAfterLosingItsLeaseWritesNothingAndTheNewOwnerFinishesBitIdentical()
    {
        using var db = new TempDatabase();
        var lease = new Dictionary<string, string> { ["Training__LeaseDuration"] = "00:00:03", ["Training__MaxConcurrentJobs"] = "1" };
        // Two instances on one database; whichever claims the job is the one that stalls.
        await using var a = await ServiceProcess.StartAsync(db.Path, db.InstanceName + "-a", lease);
        await using var b = await ServiceProcess.StartAsync(db.Path, db.InstanceName + "-b", lease);
        var (networkId, datasetId) = await a.Client.CreateNetworkAndDatasetAsync();
        var jobId = await a.Client.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, Epochs), HttpStatusCode.Accepted);
        await a.Client.WaitForJobAsync(jobId, j => Workload.EpochsCompleted(j) >= Epochs / 10, TimeSpan.FromSeconds(60));
        var owner = (string)db.Scalar("SELECT LeaseOwner FROM Jobs WHERE Id = $id", ("$id", jobId))!;
        var (stalled, successor) = owner.EndsWith("-a", StringComparison.Ordinal) ? (a, b) : (b, a);
        var successorName = owner.EndsWith("-a", StringComparison.Ordinal) ? db.InstanceName + "-b" : db.InstanceName + "-a";

        var frozenAt = await FreezeUntilTakenOverAsync(stalled, db, jobId, successorName, () => successor.RecentOutput);
        output.WriteLine($"frozen at epoch {frozenAt}; taken over by the successor");
        // Let the successor get ahead, then wake the stale worker in the middle of its flush loop.
        await successor.Client.WaitForJobAsync(jobId, j => Workload.IsFinished(j) || Workload.EpochsCompleted(j) > frozenAt + 100, TimeSpan.FromSeconds(60));
        stalled.Thaw();

        var job = await successor.Client.WaitForFinishAsync(jobId, TimeSpan.FromSeconds(120));
        Assert.Equal("succeeded", Workload.Status(job));
        await KillAndResumeTests.WaitUntilAsync(() => stalled.RecentOutput.Contains($"The lease on job {jobId} was lost", StringComparison.Ordinal), TimeSpan.FromSeconds(20));

        var referenceId = await successor.Client.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, Epochs), HttpStatusCode.Accepted);
        Assert.Equal("succeeded", Workload.Status(await successor.Client.WaitForFinishAsync(referenceId, TimeSpan.FromSeconds(120))));
        var history = await successor.Client.HistoryAsync(jobId);
        Assert.Equal(Enumerable.Range(1, Epochs), history.Select(p => p.Epoch));
        Assert.Equal(await successor.Client.HistoryAsync(referenceId), history);
        Assert.Equal(await successor.Client.WeightsAsync(referenceId), await successor.Client.WeightsAsync(jobId));
        Assert.False(stalled.HasExited, "the stale worker should live on after losing a lease");
    }

    /// <summary>
    /// SIGSTOP the worker and wait for the successor to claim the job. NOTE: a process frozen inside a write
    /// transaction holds SQLite's write lock, so nobody can take over; then wake it briefly and freeze it again.
    /// </summary>
    private static async Task<long> FreezeUntilTakenOverAsync(ServiceProcess stalled, TempDatabase db, string jobId, string successor, Func<string> successorOutput)
    {
        for (var tries = 0; tries < 4; tries++)
        {
            stalled.Freeze();
            var frozenAt = db.EpochsCompleted(jobId);
            var deadline = DateTime.UtcNow.AddSeconds(12);
            while (DateTime.UtcNow < deadline)
            {
                if (db.Scalar("SELECT LeaseOwner FROM Jobs WHERE Id = $id", ("$id", jobId)) as string == successor) return frozenAt;
                await Task.Delay(50);
            }
            stalled.Thaw();
            await Task.Delay(300);
        }
        var state = db.Scalar("SELECT Status || ' ' || IFNULL(LeaseOwner, '-') || ' ' || IFNULL(LeaseExpiresAt, '-') || ' ' || Attempts FROM Jobs WHERE Id = $id", ("$id", jobId));
        throw new TimeoutException($"The successor never took the job over ({state}):\n{successorOutput()}");
    }
}
