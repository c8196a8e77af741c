using BackpropService.Api.Jobs;
using BackpropService.Api.Training;
using BackpropService.Engine;
using BackpropService.Persistence;
using BackpropService.Persistence.Entities;
using BackpropService.Reliability.Tests.Harness;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Reliability.Tests.Fencing;

/// <summary>
/// Ends of attempts that finish together share one transaction (<see cref="JobEndCommits"/>), each still fenced by
/// its own attempt token: one attempt's lost lease neither rolls back nor fails the others' ends.
/// </summary>
public sealed class GroupCommitTests
{
    [Fact]
    public async Task EndsThatWaitedForACommitAreStoredTogetherAndALostLeaseAmongThemStoresNothingOfItsOwn()
    {
        await using var app = new InProcessService();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateNetworkAndDatasetAsync();
        var (first, lost, last) = (await LeasedJobs.AddAsync(app, networkId, datasetId, epochs: 3), await LeasedJobs.AddAsync(app, networkId, datasetId, epochs: 3), await LeasedJobs.AddAsync(app, networkId, datasetId, epochs: 3));
        var leases = app.Services.GetRequiredService<JobLeases>();
        var ends = app.Services.GetRequiredService<JobEndCommits>();
        var weights = new PendingCheckpoint(3, [], ParameterCodec.Encode([]));
        var lastFlush = new LastFlush(LeasedJobs.Points, ReplacesStored: false, StreamedThrough: 0);
        var transactions = ends.Transactions;
        var lostBefore = app.Database.Scalar("SELECT Status || ',' || EpochsCompleted || ',' || AttemptToken FROM Jobs WHERE Id = $id", ("$id", lost));

        Task<bool> firstEnd, lostEnd, lastEnd;
        await using (var writer = new SqliteConnection($"Data Source={app.Database.Path}"))
        {
            // Another writer holds the database: the first end's commit waits for it, and the next two ends queue behind.
            await writer.OpenAsync();
            await using var hold = writer.BeginTransaction(deferred: false);
            firstEnd = Task.Run(() => leases.FinishAsync(Claim(first), JobStatus.Succeeded, null, weights, CancellationToken.None, last: lastFlush));
            await Until(() => ends.Committing && ends.Waiting == 0);
            // The middle one's token was replaced (another worker took the job over): its end must store nothing.
            lostEnd = Task.Run(() => leases.FinishAsync(new JobClaim(lost, "stale", 2), JobStatus.Succeeded, null, weights, CancellationToken.None, last: lastFlush));
            lastEnd = Task.Run(() => leases.FinishAsync(Claim(last), JobStatus.Failed, "diverged", weights, CancellationToken.None, last: lastFlush));
            await Until(() => ends.Waiting == 2);
            hold.Rollback();
        }

        Assert.True(await firstEnd);
        await Assert.ThrowsAsync<LeaseLostException>(() => lostEnd);
        Assert.True(await lastEnd);
        Assert.Equal(transactions + 2, ends.Transactions); // the first alone, the two that waited together
        foreach (var (job, status) in new[] { (first, "Succeeded"), (last, "Failed") })
        {
            Assert.Equal(status, app.Database.JobStatus(job));
            Assert.Equal(3, app.Database.EpochsCompleted(job));
            Assert.Equal([1, 2, 3], (await client.HistoryAsync(job)).Select(p => p.Epoch));
            Assert.Equal("3:1", app.Database.Scalar("SELECT Epoch || ':' || IsFinal FROM WeightSnapshots WHERE JobId = $id", ("$id", job)));
        }
        Assert.Equal(lostBefore, app.Database.Scalar("SELECT Status || ',' || EpochsCompleted || ',' || AttemptToken FROM Jobs WHERE Id = $id", ("$id", lost)));
        Assert.Empty(await client.HistoryAsync(lost));
        Assert.Null(app.Database.Scalar("SELECT Epoch FROM WeightSnapshots WHERE JobId = $id", ("$id", lost)));
    }

    private static JobClaim Claim(string jobId) => new(jobId, "owner-" + jobId, 2);

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The ends did not reach the expected state.");
            await Task.Delay(5);
        }
    }
}
