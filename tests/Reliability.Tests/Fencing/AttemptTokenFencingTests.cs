using BackpropService.Api.Jobs;
using BackpropService.Api.Training;
using BackpropService.Engine;
using BackpropService.Persistence;
using BackpropService.Persistence.Entities;
using BackpropService.Reliability.Tests.Harness;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Reliability.Tests.Fencing;

/// <summary>
/// Every write a worker makes for a job (history rows, progress, checkpoint, weights, final status, release,
/// renewal, rewind) is fenced by the attempt token: a worker whose lease was taken over changes nothing at all.
/// </summary>
public sealed class AttemptTokenFencingTests
{
    [Fact]
    public async Task AStaleAttemptWritesNoHistoryCheckpointWeightsOrStatusAndCannotRewindTheNewOwner()
    {
        await using var app = new InProcessService();
        var jobId = await LeasedJobAsync(app, token: "new-owner");
        var stale = new JobClaim(jobId, "old-owner", 1);
        var current = new JobClaim(jobId, "new-owner", 2);
        var store = app.Services.GetRequiredService<AttemptStore>();
        var leases = app.Services.GetRequiredService<JobLeases>();
        var checkpoint = new PendingCheckpoint(3, [1, 2, 3], ParameterCodec.Encode([]));

        // The new owner records epochs 1..3 and a checkpoint at 2.
        Assert.True((await store.StoreAsync(current, LeasedJobs.Points, new PendingCheckpoint(2, [9], ParameterCodec.Encode([])), replacesStored: false, streamedThrough: 0, CancellationToken.None)).Owned);
        var before = await SnapshotAsync(app, jobId);

        var flush = await store.StoreAsync(stale, [new EpochReport(4, 0.2, null)], checkpoint, replacesStored: false, streamedThrough: 0, CancellationToken.None);
        Assert.False(flush.Owned);
        Assert.False(await leases.FinishAsync(stale, JobStatus.Succeeded, null, checkpoint, CancellationToken.None));
        Assert.False(await leases.FinishAsync(stale, JobStatus.Failed, "stale", null, CancellationToken.None));
        await leases.ReleaseAsync(stale, CancellationToken.None);
        Assert.Equal(JobLeases.Renewal.Lost, await leases.RenewAsync(stale, CancellationToken.None));
        await Assert.ThrowsAsync<LeaseLostException>(() => store.RewindAsync(stale, CancellationToken.None));

        Assert.Equal(before, await SnapshotAsync(app, jobId));

        // The owner's writes still go through: the fence is the token, not a broken job.
        Assert.True(await leases.FinishAsync(current, JobStatus.Succeeded, null, checkpoint, CancellationToken.None));
        Assert.Equal("Succeeded", app.Database.JobStatus(jobId));
    }

    [Fact]
    public async Task TheLastFlushStoredWithTheEndIsFencedToo()
    {
        await using var app = new InProcessService();
        var jobId = await LeasedJobAsync(app, token: "new-owner");
        var stale = new JobClaim(jobId, "old-owner", 1);
        var current = new JobClaim(jobId, "new-owner", 2);
        var leases = app.Services.GetRequiredService<JobLeases>();
        var weights = new PendingCheckpoint(3, [], ParameterCodec.Encode([]));
        var before = await SnapshotAsync(app, jobId);

        // A stale attempt's last epochs, end and weights: nothing of them is written, and it learns it lost the lease.
        await Assert.ThrowsAsync<LeaseLostException>(() => leases.FinishAsync(stale, JobStatus.Succeeded, null, weights,
            CancellationToken.None, last: new LastFlush(LeasedJobs.Points, ReplacesStored: false, StreamedThrough: 0)));
        Assert.Equal(before, await SnapshotAsync(app, jobId));

        // The owner's last epochs and its end commit together.
        Assert.True(await leases.FinishAsync(current, JobStatus.Succeeded, null, weights, CancellationToken.None,
            last: new LastFlush(LeasedJobs.Points, ReplacesStored: false, StreamedThrough: 0)));
        Assert.Equal("Succeeded", app.Database.JobStatus(jobId));
        Assert.Equal([1, 2, 3], (await app.CreateClient().HistoryAsync(jobId)).Select(p => p.Epoch));
        Assert.Equal(3, app.Database.EpochsCompleted(jobId));
        Assert.Equal("3:1", app.Database.Scalar("SELECT Epoch || ':' || IsFinal FROM WeightSnapshots WHERE JobId = $id", ("$id", jobId)));
    }

    /// <summary>Everything a worker could write for the job (history as the API serves it), as one comparable string.</summary>
    private static async Task<string> SnapshotAsync(InProcessService app, string jobId) => string.Join(" | ",
        app.Database.Scalar("SELECT Status || ',' || EpochsCompleted || ',' || IFNULL(Cost, '-') || ',' || LeaseExpiresAt || ',' || Attempts || ',' || AttemptToken FROM Jobs WHERE Id = $id", ("$id", jobId)),
        (await app.CreateClient().GetJsonAsync($"/api/jobs/{jobId}/history"))["points"]!.ToJsonString(),
        app.Database.Scalar("SELECT Epoch || ':' || hex(State) FROM Checkpoints WHERE JobId = $id", ("$id", jobId)),
        app.Database.Scalar("SELECT Epoch || ':' || IsFinal || ':' || hex(Parameters) FROM WeightSnapshots WHERE JobId = $id", ("$id", jobId)));

    /// <summary>A running job leased (for an hour) to the attempt <paramref name="token"/>, so the host's own worker leaves it alone.</summary>
    private static async Task<string> LeasedJobAsync(InProcessService app, string token)
    {
        var (networkId, datasetId) = await app.CreateClient().CreateNetworkAndDatasetAsync();
        return await LeasedJobs.AddAsync(app, networkId, datasetId, epochs: 10, token);
    }
}
