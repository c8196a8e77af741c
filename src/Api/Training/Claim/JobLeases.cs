using BackpropService.Api.Observability;
using BackpropService.Persistence;
using BackpropService.Persistence.Dialects;
using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Training;

/// <summary>
/// A job's lease, in one place: claim, renew, fence, release and finish. Every method that writes checks the attempt
/// token in the same statement (<see cref="Fenced"/>), so a worker that lost its lease changes nothing.
/// </summary>
public sealed class JobLeases(IDbContextFactory<BackpropDbContext> dbs, IDatabaseDialect dialect, JobEndCommits ends, IOptions<TrainingOptions> options, TimeProvider time, TrainingMetrics metrics)
{
    /// <summary>What a renewal found.</summary>
    public enum Renewal { Lost, Renewed, RenewedCancelRequested }

    private TrainingOptions Options => options.Value;
    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>At start: whatever this instance held in a previous life is dead, so expire those leases now.</summary>
    public async Task ReleaseLeasesOfPreviousLifeAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = Now;
        await db.Jobs.Where(j => j.Status == JobStatus.Running && j.LeaseOwner == Options.InstanceName)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseExpiresAt, now), ct);
    }

    /// <summary>
    /// Claims up to <paramref name="count"/> jobs in one transaction, those that waited longest: abandoned running jobs
    /// (expired lease) first, then the oldest queued; none when there is none to claim.
    /// </summary>
    public async Task<IReadOnlyList<JobClaim>> ClaimAsync(int count, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await dialect.ClaimJobsAsync(db, new ClaimRequest(Options.InstanceName, Options.LeaseDuration, time), count, ct);
    }

    /// <summary>The storage fault (busy, locked, full, I/O) behind a failed lease write, or null for any other failure.</summary>
    public StorageFault? FindFault(Exception exception) => dialect.FindFault(exception);

    /// <summary>The job's row while <paramref name="claim"/> still holds it; every write of an attempt goes through this.</summary>
    public static IQueryable<TrainingJob> Fenced(BackpropDbContext db, JobClaim claim) =>
        db.Jobs.Where(j => j.Id == claim.JobId && j.AttemptToken == claim.Token && j.Status == JobStatus.Running);

    /// <summary>
    /// Extends the lease by <see cref="TrainingOptions.LeaseDuration"/> from now; false when it was lost. The expiry
    /// never moves back: a heartbeat renewal that waited on the job's row behind a long flush (which renews the lease
    /// as it commits) must not replace that flush's later expiry with its own, computed before it waited.
    /// </summary>
    public async Task<bool> RenewAsync(BackpropDbContext db, JobClaim claim, CancellationToken ct)
    {
        var expires = Now + Options.LeaseDuration;
        return await Fenced(db, claim).ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseExpiresAt,
            j => j.LeaseExpiresAt != null && j.LeaseExpiresAt > expires ? j.LeaseExpiresAt : expires), ct) == 1;
    }

    /// <summary>The heartbeat's renewal, which also reports a cancel requested through another replica.</summary>
    /// <remarks>
    /// NOTE: in a write transaction, so in the write turn (<see cref="BackpropDbContext.BeginWriteAsync"/>): on SQLite a
    /// write outside the turns waits for the lock in SQLite's busy handler, whose sleeps the turns' writers, going
    /// back to back, can outlast; a lease must not lapse behind them.
    /// </remarks>
    public async Task<Renewal> RenewAsync(JobClaim claim, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.BeginWriteAsync(ct);
        if (!await RenewAsync(db, claim, ct)) return Renewal.Lost;
        var cancel = await db.Jobs.Where(j => j.Id == claim.JobId).Select(j => j.CancelRequested).FirstAsync(ct);
        await tx.CommitAsync(ct);
        return cancel ? Renewal.RenewedCancelRequested : Renewal.Renewed;
    }

    /// <summary>Graceful stop: keep the job running but expire the lease so the next start resumes it at once.</summary>
    public async Task ReleaseAsync(JobClaim claim, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = Now;
        // A graceful stop is not a failed attempt; only crashes count towards MaxAttempts. Its last flush was sent
        // before this, so whoever resumes the job has nothing to re-send.
        await Fenced(db, claim).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.LeaseExpiresAt, now)
            .SetProperty(j => j.StreamedThrough, j => j.EpochsCompleted)
            .SetProperty(j => j.Attempts, j => j.Attempts - 1), ct);
    }

    /// <summary>
    /// Ends the attempt in a terminal state, with early stopping's result when the job used it; false when the lease
    /// was lost (someone else owns the job). With <paramref name="last"/>, its epochs are stored in the same transaction
    /// first, and a lost lease throws <see cref="LeaseLostException"/> as a flush's store does (nothing was written).
    /// Ends that come together share a commit (<see cref="JobEndCommits"/>).
    /// </summary>
    public async Task<bool> FinishAsync(JobClaim claim, JobStatus status, string? error, PendingCheckpoint? finalWeights, CancellationToken ct, EarlyStopResult? earlyStop = null, LastFlush? last = null)
    {
        var started = time.GetTimestamp();
        if (await ends.CommitAsync(new JobEnd(claim, status, error, finalWeights, earlyStop, last)) is not { } stored) return false;
        if (last is not null) metrics.EpochsWritten(last.Points.Count, time.GetElapsedTime(started));
        metrics.JobFinished(stored);
        return true;
    }
}
