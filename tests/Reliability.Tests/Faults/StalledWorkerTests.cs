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
    private const int Epochs = 2_000;
    private const int HeldAt = 200;

    [Fact]
    public async Task AWorkerWokenAfterLosingItsLeaseWritesNothingAndTheNewOwnerFinishesBitIdentical()
    {
        using var db = new TempDatabase();
        using var hold = new ProcessHold(HeldAt);
        var settings = new Dictionary<string, string>(hold.Settings) { ["Training__LeaseDuration"] = "00:00:03", ["Training__MaxConcurrentJobs"] = "1" };
        // Two instances on one database; whichever claims the job is held at HeldAt, and is the one that stalls.
        await using var a = await ServiceProcess.StartAsync(db.Path, db.InstanceName + "-a", settings);
        await using var b = await ServiceProcess.StartAsync(db.Path, db.InstanceName + "-b", settings);
        var (networkId, datasetId) = await a.Client.CreateNetworkAndDatasetAsync();
        var jobId = await a.Client.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, Epochs), HttpStatusCode.Accepted);
        Assert.Equal(jobId, await hold.ReachedAsync(TimeSpan.FromSeconds(60)));
        await a.Client.WaitForJobAsync(jobId, j => JobClient.EpochsCompleted(j) == HeldAt - 1);
        var owner = (string)db.Scalar("SELECT LeaseOwner FROM Jobs WHERE Id = $id", ("$id", jobId))!;
        var (stalled, successor) = owner.EndsWith("-a", StringComparison.Ordinal) ? (a, b) : (b, a);
        var successorName = owner.EndsWith("-a", StringComparison.Ordinal) ? db.InstanceName + "-b" : db.InstanceName + "-a";

        var frozenAt = await FreezeUntilTakenOverAsync(stalled, db, jobId, successorName, () => successor.RecentOutput);
        Assert.Equal(HeldAt - 1, frozenAt);
        output.WriteLine($"frozen at epoch {frozenAt}; taken over by the successor");
        // The release reaches the frozen worker only when it wakes: then it trains on into its buffer, and its flush
        // loop tries to write those epochs. Let the successor get ahead first.
        hold.Release();
        await successor.Client.WaitForJobAsync(jobId, j => JobClient.IsFinished(j) || JobClient.EpochsCompleted(j) > frozenAt + 100);
        stalled.Thaw();

        var job = await successor.Client.WaitForFinishAsync(jobId, TimeSpan.FromSeconds(120));
        Assert.Equal("succeeded", JobClient.Status(job));
        await Wait.UntilAsync(() => stalled.RecentOutput.Contains($"The lease on job {jobId} was lost", StringComparison.Ordinal), TimeSpan.FromSeconds(20), () => stalled.RecentOutput);

        var referenceId = await successor.Client.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, Epochs), HttpStatusCode.Accepted);
        Assert.Equal("succeeded", JobClient.Status(await successor.Client.WaitForFinishAsync(referenceId, TimeSpan.FromSeconds(120))));
        var history = await successor.Client.HistoryAsync(jobId);
        Assert.Equal(Enumerable.Range(1, Epochs), history.Select(p => p.Epoch));
        Assert.Equal(await successor.Client.HistoryAsync(referenceId), history);
        Assert.Equal(await successor.Client.WeightsAsync(referenceId), await successor.Client.WeightsAsync(jobId));
        Assert.False(stalled.HasExited, "the stale worker should live on after losing a lease");
    }

    /// <summary>
    /// SIGSTOP the worker and wait for the successor to claim the job. NOTE: a process frozen inside a write
    /// transaction (a lease renewal) holds SQLite's write lock, so nobody can take over; then wake it and freeze it
    /// again. Its job stays held meanwhile.
    /// </summary>
    private static async Task<long> FreezeUntilTakenOverAsync(ServiceProcess stalled, TempDatabase db, string jobId, string successor, Func<string> successorOutput)
    {
        for (var tries = 0; tries < 4; tries++)
        {
            stalled.Freeze();
            var frozenAt = db.EpochsCompleted(jobId);
            try
            {
                await Wait.UntilAsync(() => db.Scalar("SELECT LeaseOwner FROM Jobs WHERE Id = $id", ("$id", jobId)) as string == successor, TimeSpan.FromSeconds(12));
                return frozenAt;
            }
            catch (TimeoutException) { }
            stalled.Thaw();
            // Let it finish the transaction it was frozen in: its next lease renewal commits.
            var renewed = db.Scalar("SELECT LeaseExpiresAt FROM Jobs WHERE Id = $id", ("$id", jobId));
            await Wait.UntilAsync(() => !Equals(db.Scalar("SELECT LeaseExpiresAt FROM Jobs WHERE Id = $id", ("$id", jobId)), renewed), TimeSpan.FromSeconds(10));
        }
        var state = db.Scalar("SELECT Status || ' ' || IFNULL(LeaseOwner, '-') || ' ' || IFNULL(LeaseExpiresAt, '-') || ' ' || Attempts FROM Jobs WHERE Id = $id", ("$id", jobId));
        throw new TimeoutException($"The successor never took the job over ({state}):\n{successorOutput()}");
    }
}
