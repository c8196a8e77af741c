using System.Data;
using BackpropService.Api.Infrastructure;
using BackpropService.Api.Observability;
using BackpropService.Engine;
using BackpropService.Persistence;
using BackpropService.Persistence.Entities;
using BackpropService.Persistence.History;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Training;

/// <summary>
/// The store half of a flush, and the rewind that starts an attempt: each one lease-fenced transaction over the job's
/// row, its history (<see cref="HistoryStore"/>), checkpoint and weights. Nothing is written without the lease.
/// </summary>
public sealed class AttemptStore(IDbContextFactory<BackpropDbContext> dbs, JobLeases leases, TimeProvider time, TrainingMetrics metrics)
{
    /// <summary>A stored flush: false <see cref="Owned"/> when the lease was lost (nothing was written).</summary>
    public readonly record struct Stored(bool Owned, bool CancelRequested);

    /// <summary>
    /// Prepares a resume: the job restarts from its checkpoint (epoch c, or from scratch), but its stored history,
    /// up to epoch E ≥ c, is kept: training is bit-deterministic from a checkpoint, so epochs c+1…E are replayed
    /// without being written or streamed again, and subscribers get every epoch exactly once. Returns the checkpoint
    /// and the stored costs of c+1…E, which the replay is checked against.
    /// </summary>
    public async Task<ResumePoint> RewindAsync(JobClaim claim, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.BeginWriteAsync(ct);
        // NOTE: write first: in WAL a transaction that reads and then writes can fail at once with SQLITE_BUSY
        // when another writer committed in between; starting with the write takes the lock up front.
        if (!await leases.RenewAsync(db, claim, ct)) throw new LeaseLostException(claim.JobId);
        var checkpoint = await db.Checkpoints.AsNoTracking().FirstOrDefaultAsync(c => c.JobId == claim.JobId, ct);
        var epoch = checkpoint?.Epoch ?? 0;
        // A checkpoint is stored with the history up to its epoch, so the stored history never ends before it.
        var stored = await HistoryStore.LastEpochAsync(db, claim.JobId, ct);
        if (stored < epoch) throw new InvalidOperationException($"Job '{claim.JobId}' has a checkpoint at epoch {epoch} but history only up to epoch {stored}.");
        var costs = await HistoryStore.ReadCostsAsync(db, claim.JobId, epoch, stored, ct);
        var streamed = await db.Jobs.Where(j => j.Id == claim.JobId).Select(j => j.StreamedThrough).FirstAsync(ct);
        // The job's progress does not go backwards: the replayed epochs are already in its history.
        await JobLeases.Fenced(db, claim).ExecuteUpdateAsync(s => s.SetProperty(j => j.EpochsCompleted, stored), ct);
        if (checkpoint is null)
            await db.WeightSnapshots.Where(w => w.JobId == claim.JobId).ExecuteDeleteAsync(ct);
        await leases.RenewAsync(db, claim, ct); // renewed as the row is handed over, as a flush does (see StoreAsync)
        await tx.CommitAsync(ct);
        return new ResumePoint(checkpoint, epoch, costs, Math.Min(streamed, stored));
    }

    /// <summary>
    /// Stores one flush: the job's progress, the epochs as history (with <paramref name="replacesStored"/> they replace
    /// the stored history from their first epoch on, see <see cref="EpochBuffer.MarkRewrite"/>), a pending checkpoint
    /// with its weights, and <paramref name="streamedThrough"/>, the last epoch the attempt has sent so far (every flush
    /// before this one; see <see cref="TrainingJob.StreamedThrough"/>).
    /// </summary>
    public async Task<Stored> StoreAsync(JobClaim claim, IReadOnlyList<EpochReport> points, PendingCheckpoint? checkpoint, bool replacesStored, int streamedThrough, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.BeginWriteAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        if (!await WriteEpochsAsync(db, claim, points, replacesStored, streamedThrough, ct)) return new Stored(false, false);
        if (checkpoint is not null)
        {
            await UpsertCheckpointAsync(db, claim.JobId, checkpoint, now, ct);
            await UpsertWeightsAsync(db, claim.JobId, checkpoint, isFinal: false, now, ct);
        }
        var cancel = await db.Jobs.Where(j => j.Id == claim.JobId).Select(j => j.CancelRequested).FirstAsync(ct);
        // The job's row is locked from the first write on, so the heartbeat's renewal waits behind this transaction:
        // a flush that outlasts the lease (65,536 epochs on a loaded machine) would commit an expired one, for another
        // replica to claim before the heartbeat's turn. Renewing last, as the lock's holder, hands the row over fresh.
        await leases.RenewAsync(db, claim, ct);
        await tx.CommitAsync(ct);
        metrics.EpochsWritten(points.Count, time.GetElapsedTime(started));
        return new Stored(true, cancel);
    }

    /// <summary>
    /// The epochs half of a flush, inside the caller's transaction: the job's progress and <paramref name="streamedThrough"/>
    /// (fenced: false, and nothing written, when the lease was lost), then the epochs as history.
    /// </summary>
    public static async Task<bool> WriteEpochsAsync(BackpropDbContext db, JobClaim claim, IReadOnlyList<EpochReport> points, bool replacesStored, int streamedThrough, CancellationToken ct)
    {
        var owned = await JobLeases.Fenced(db, claim).ExecuteUpdateAsync(s =>
        {
            s.SetProperty(j => j.StreamedThrough, streamedThrough);
            if (points.Count == 0) return;
            var last = points[^1];
            s.SetProperty(j => j.EpochsCompleted, last.Epoch)
                .SetProperty(j => j.Cost, Finite.OrNull(last.Cost))
                .SetProperty(j => j.ValidationCost, Finite.OrNull(last.ValidationCost))
                .SetProperty(j => j.Accuracy, last.Accuracy)
                .SetProperty(j => j.ValidationAccuracy, last.ValidationAccuracy);
        }, ct);
        if (owned == 0) return false;
        if (points.Count > 0)
        {
            // A resume whose replay did not reproduce the stored costs rewrites the history from its first epoch.
            if (replacesStored) await HistoryStore.RewindAsync(db, claim.JobId, points[0].Epoch - 1, ct);
            await HistoryStore.AppendAsync(db, claim.JobId, new HistoryEntries(points), ct);
        }
        return true;
    }

    /// <summary>Up to <paramref name="take"/> stored epochs after <paramref name="after"/> (for a re-send), as reports.</summary>
    public async Task<EpochReport[]> ReadAsync(string jobId, int after, int take, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var entries = await HistoryStore.ReadAsync(db, jobId, after, take, ct);
        return entries.Select(e => new EpochReport(e.Epoch, e.Cost, e.ValidationCost, e.Accuracy, e.ValidationAccuracy,
            e.GradientNorms is { } norms ? new ParameterNorms(e.GradientNormNames!, norms) : null)).ToArray();
    }

    // NOTE: statements, not the change tracker (a query, then SaveChanges, for each of the two rows): a short job's
    // first flush carries its first epoch's checkpoint, and EF Core's upserts were most of that flush's cost.
    private static Task UpsertCheckpointAsync(BackpropDbContext db, string jobId, PendingCheckpoint checkpoint, DateTime now, CancellationToken ct) =>
        RawSql.ExecuteAsync(db, """
            INSERT INTO "Checkpoints" ("JobId", "Epoch", "State", "SavedAt") VALUES ({0}, {1}, {2}, {3})
            ON CONFLICT ("JobId") DO UPDATE SET "Epoch" = excluded."Epoch", "State" = excluded."State", "SavedAt" = excluded."SavedAt"
            """, ct, (jobId, DbType.String), (checkpoint.Epoch, DbType.Int32), (checkpoint.State, DbType.Binary), (now, DbType.DateTime));

    private static Task UpsertWeightsAsync(BackpropDbContext db, string jobId, PendingCheckpoint weights, bool isFinal, DateTime now, CancellationToken ct) =>
        RawSql.ExecuteAsync(db, """
            INSERT INTO "WeightSnapshots" ("JobId", "Epoch", "Parameters", "IsFinal", "SavedAt") VALUES ({0}, {1}, {2}, {3}, {4})
            ON CONFLICT ("JobId") DO UPDATE SET "Epoch" = excluded."Epoch", "Parameters" = excluded."Parameters",
                "IsFinal" = excluded."IsFinal", "SavedAt" = excluded."SavedAt"
            """, ct, (jobId, DbType.String), (weights.Epoch, DbType.Int32), (weights.Parameters, DbType.Binary), (isFinal, DbType.Boolean), (now, DbType.DateTime));

    /// <summary>Epoch reports read as history entries, one by one while they are encoded (no copy of a large flush).</summary>
    internal sealed class HistoryEntries(IReadOnlyList<EpochReport> reports) : IReadOnlyList<HistoryEntry>
    {
        // The points of a flush are the epoch buffer's drained ArraySegment: read from its array, not through the boxed
        // segment's interface, since the store reads every epoch (docs/performance.md, "claim on the spot").
        private readonly ArraySegment<EpochReport> _reports = reports as ArraySegment<EpochReport>? ?? new ArraySegment<EpochReport>([.. reports]);

        public int Count => _reports.Count;

        public HistoryEntry this[int index]
        {
            get
            {
                ref readonly var report = ref _reports.AsSpan()[index];
                return new HistoryEntry(report.Epoch, report.Cost, report.ValidationCost, report.Accuracy, report.ValidationAccuracy,
                    report.GradientNorms?.Names, report.GradientNorms?.Values);
            }
        }

        public IEnumerator<HistoryEntry> GetEnumerator()
        {
            for (var i = 0; i < _reports.Count; i++) yield return this[i];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
