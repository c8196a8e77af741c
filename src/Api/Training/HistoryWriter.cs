using BackpropService.Api.Infrastructure;
using BackpropService.Api.Observability;
using BackpropService.Engine;
using BackpropService.Persistence;
using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Training;

/// <summary>
/// One flush of a running job, in one transaction: renew the lease (fenced by the attempt token), append the
/// buffered epochs as a history chunk, and store a pending checkpoint with its weights. Nothing is written without the lease.
/// </summary>
public sealed class HistoryWriter(IDbContextFactory<BackpropDbContext> dbs, IOptions<TrainingOptions> options, TimeProvider time, TrainingMetrics metrics)
{
    public sealed record FlushResult(bool Owned, bool CancelRequested);

    /// <summary>
    /// Writes one flush. With <paramref name="replacesStored"/> the points replace the stored history from their first
    /// epoch on (see <see cref="EpochBuffer.MarkRewrite"/>). <paramref name="streamedThrough"/> is the last epoch the
    /// attempt has sent so far (see <see cref="TrainingJob.StreamedThrough"/>).
    /// </summary>
    public async Task<FlushResult> FlushAsync(JobAttempt attempt, IReadOnlyList<EpochReport> points, PendingCheckpoint? checkpoint, bool replacesStored, int streamedThrough, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var expires = now + options.Value.LeaseDuration;
        var fenced = JobLeaseStore.Fenced(db, attempt);
        var owned = await fenced.ExecuteUpdateAsync(s =>
        {
            s.SetProperty(j => j.LeaseExpiresAt, expires).SetProperty(j => j.StreamedThrough, streamedThrough);
            if (points.Count == 0) return;
            var last = points[^1];
            s.SetProperty(j => j.EpochsCompleted, last.Epoch)
                .SetProperty(j => j.Cost, Finite.OrNull(last.Cost))
                .SetProperty(j => j.ValidationCost, Finite.OrNull(last.ValidationCost));
        }, ct);
        if (owned == 0) return new FlushResult(false, false);

        if (points.Count > 0)
        {
            // A resume whose replay did not reproduce the stored costs rewrites the history from its first epoch.
            if (replacesStored) await HistoryChunks.TrimAfterAsync(db, attempt.JobId, points[0].Epoch - 1, ct);
            // One chunk row per flush (see LossChunk): the history of a 100,000 epochs/s job costs a row every flush.
            await HistoryChunks.AppendAsync(db, attempt.JobId, points, ct);
        }
        if (checkpoint is not null)
        {
            await UpsertCheckpointAsync(db, attempt.JobId, checkpoint, now, ct);
            await UpsertWeightsAsync(db, attempt.JobId, checkpoint, isFinal: false, now, ct);
        }
        var cancel = await db.Jobs.Where(j => j.Id == attempt.JobId).Select(j => j.CancelRequested).FirstAsync(ct);
        await tx.CommitAsync(ct);
        metrics.EpochsWritten(points.Count, time.GetElapsedTime(started));
        return new FlushResult(true, cancel);
    }

    private static async Task UpsertCheckpointAsync(BackpropDbContext db, string jobId, PendingCheckpoint checkpoint, DateTime now, CancellationToken ct)
    {
        var row = await db.Checkpoints.FirstOrDefaultAsync(c => c.JobId == jobId, ct);
        if (row is null) db.Checkpoints.Add(new Checkpoint { JobId = jobId, Epoch = checkpoint.Epoch, State = checkpoint.State, SavedAt = now });
        else (row.Epoch, row.State, row.SavedAt) = (checkpoint.Epoch, checkpoint.State, now);
        await db.SaveChangesAsync(ct);
    }

    public static async Task UpsertWeightsAsync(BackpropDbContext db, string jobId, PendingCheckpoint weights, bool isFinal, DateTime now, CancellationToken ct)
    {
        var row = await db.WeightSnapshots.FirstOrDefaultAsync(w => w.JobId == jobId, ct);
        if (row is null)
            db.WeightSnapshots.Add(new WeightSnapshot { JobId = jobId, Epoch = weights.Epoch, Parameters = weights.Parameters, IsFinal = isFinal, SavedAt = now });
        else
            (row.Epoch, row.Parameters, row.IsFinal, row.SavedAt) = (weights.Epoch, weights.Parameters, isFinal, now);
        await db.SaveChangesAsync(ct);
    }
}
