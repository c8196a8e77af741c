using BackpropService.Api.Observability;
using BackpropService.Persistence;
using BackpropService.Persistence.Dialects;
using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Training;

/// <summary>
/// The worker's side of the jobs table: claiming with a lease, and lease-fenced state changes. Every method that
/// writes checks the attempt token in the same statement, so a worker that lost its lease changes nothing.
/// </summary>
public sealed class JobLeaseStore(IDbContextFactory<BackpropDbContext> dbs, IDatabaseDialect dialect, IOptions<TrainingOptions> options, TimeProvider time, TrainingMetrics metrics)
{
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

    /// <summary>Claims the job that waited longest: abandoned running jobs (expired lease) first, then the oldest queued.</summary>
    public async Task<JobAttempt?> TryClaimAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var claimed = await dialect.TryClaimJobAsync(db, new JobClaim(Options.InstanceName, Options.LeaseDuration, time), ct);
        return claimed is null ? null : new JobAttempt(claimed.JobId, claimed.Token, claimed.Attempts);
    }

    /// <summary>
    /// Prepares a resume: the job restarts from its checkpoint (epoch c, or from scratch), but its stored history,
    /// up to epoch E ≥ c, is kept: training is bit-deterministic from a checkpoint, so epochs c+1…E are replayed
    /// without being written or streamed again, and subscribers get every epoch exactly once. Returns the checkpoint
    /// and the stored costs of c+1…E, which the replay is checked against.
    /// </summary>
    public async Task<ResumePoint> RewindAsync(JobAttempt attempt, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // NOTE: write first: in WAL a transaction that reads and then writes can fail at once with SQLITE_BUSY
        // when another writer committed in between; starting with the write takes the lock up front.
        var expires = Now + Options.LeaseDuration;
        var owned = await Fenced(db, attempt).ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseExpiresAt, expires), ct);
        if (owned == 0) throw new LeaseLostException(attempt.JobId);
        var checkpoint = await db.Checkpoints.AsNoTracking().FirstOrDefaultAsync(c => c.JobId == attempt.JobId, ct);
        var epoch = checkpoint?.Epoch ?? 0;
        // A checkpoint is stored with the history up to its epoch, so the stored history never ends before it.
        var stored = await HistoryChunks.LastEpochAsync(db, attempt.JobId, ct);
        if (stored < epoch) throw new InvalidOperationException($"Job '{attempt.JobId}' has a checkpoint at epoch {epoch} but history only up to epoch {stored}.");
        var costs = await HistoryChunks.ReadCostsAsync(db, attempt.JobId, epoch, stored, ct);
        var streamed = await db.Jobs.Where(j => j.Id == attempt.JobId).Select(j => j.StreamedThrough).FirstAsync(ct);
        // The job's progress does not go backwards: the replayed epochs are already in its history.
        await Fenced(db, attempt).ExecuteUpdateAsync(s => s.SetProperty(j => j.EpochsCompleted, stored), ct);
        if (checkpoint is null)
            await db.WeightSnapshots.Where(w => w.JobId == attempt.JobId).ExecuteDeleteAsync(ct);
        await tx.CommitAsync(ct);
        return new ResumePoint(checkpoint, epoch, costs, Math.Min(streamed, stored));
    }

    public static IQueryable<TrainingJob> Fenced(BackpropDbContext db, JobAttempt attempt) =>
        db.Jobs.Where(j => j.Id == attempt.JobId && j.AttemptToken == attempt.Token && j.Status == JobStatus.Running);

    /// <summary>Graceful stop: keep the job running but expire the lease so the next start resumes it at once.</summary>
    public async Task ReleaseAsync(JobAttempt attempt, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = Now;
        // A graceful stop is not a failed attempt; only crashes count towards MaxAttempts. Its last flush was sent
        // before this, so whoever resumes the job has nothing to re-send.
        await Fenced(db, attempt).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.LeaseExpiresAt, now)
            .SetProperty(j => j.StreamedThrough, j => j.EpochsCompleted)
            .SetProperty(j => j.Attempts, j => j.Attempts - 1), ct);
    }

    /// <summary>Ends the attempt in a terminal state; false when the lease was lost (someone else owns the job).</summary>
    public async Task<bool> FinishAsync(JobAttempt attempt, JobStatus status, string? error, PendingCheckpoint? finalWeights, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = Now;
        var fenced = Fenced(db, attempt);
        // NOTE: a cancel that reached the database first wins over success, so the client that got 202 sees cancelled.
        if (status == JobStatus.Succeeded)
            fenced = fenced.Where(j => !j.CancelRequested);
        var rows = await Finish(fenced, status, error, now, ct);
        if (rows == 0 && status == JobStatus.Succeeded)
        {
            rows = await Finish(Fenced(db, attempt), JobStatus.Cancelled, null, now, ct);
            status = JobStatus.Cancelled;
        }
        if (rows == 0) return false;
        if (finalWeights is not null)
            await HistoryWriter.UpsertWeightsAsync(db, attempt.JobId, finalWeights, isFinal: true, now, ct);
        await db.Checkpoints.Where(c => c.JobId == attempt.JobId).ExecuteDeleteAsync(ct);
        await tx.CommitAsync(ct);
        metrics.JobFinished(status);
        return true;
    }

    private static Task<int> Finish(IQueryable<TrainingJob> jobs, JobStatus status, string? error, DateTime now, CancellationToken ct) =>
        jobs.ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Status, status)
            .SetProperty(j => j.Error, error)
            .SetProperty(j => j.FinishedAt, now)
            .SetProperty(j => j.LeaseOwner, (string?)null)
            .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null), ct);
}
