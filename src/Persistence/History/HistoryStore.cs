using System.Data;
using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Persistence.History;

/// <summary>
/// A job's history, the one place that knows its format (<see cref="LossChunk"/> rows packed by
/// <see cref="LossChunkCodec"/>): append a flush, rewind after an epoch, read a page or the costs a resume replays.
/// The worker writes through it inside its lease-fenced transaction; the HTTP read side reads through it.
/// </summary>
public static class HistoryStore
{
    /// <summary>
    /// Stores the flush's epochs (consecutive, ascending) as one chunk, or several when longer than
    /// <see cref="LossChunkCodec.MaxEpochsPerChunk"/>, each saved on its own.
    /// </summary>
    /// <remarks>
    /// NOTE: the thread yields its core between chunks, so a request that woke while the other cores train does not
    /// wait for a whole burst of chunk writes (docs/performance.md, the idle-read p99).
    /// </remarks>
    public static async Task AppendAsync(BackpropDbContext db, string jobId, IReadOnlyList<HistoryEntry> entries, CancellationToken ct)
    {
        var columns = Columns.Of(entries);
        var perChunk = columns.NormNames is { } names ? GradientNormsCodec.MaxEpochsPerChunk(names.Count) : LossChunkCodec.MaxEpochsPerChunk;
        for (var start = 0; start < entries.Count; start += perChunk)
        {
            if (start > 0) Thread.Yield();
            await InsertAsync(db, Encode(jobId, entries, start, Math.Min(perChunk, entries.Count - start), columns), ct);
        }
    }

    // NOTE: a statement, not the change tracker: SaveChanges cost several times the insert itself for a small flush.
    private static Task InsertAsync(BackpropDbContext db, LossChunk chunk, CancellationToken ct) => RawSql.ExecuteAsync(db, """
        INSERT INTO "LossChunks" ("JobId", "FirstEpoch", "LastEpoch", "Costs", "ValidationCosts", "Accuracies", "ValidationAccuracies", "GradientNorms")
        VALUES ({0}, {1}, {2}, {3}, {4}, {5}, {6}, {7})
        """, ct, (chunk.JobId, DbType.String), (chunk.FirstEpoch, DbType.Int32), (chunk.LastEpoch, DbType.Int32), (chunk.Costs, DbType.Binary),
        (chunk.ValidationCosts, DbType.Binary), (chunk.Accuracies, DbType.Binary), (chunk.ValidationAccuracies, DbType.Binary), (chunk.GradientNorms, DbType.Binary));

    /// <summary>Which optional columns a flush fills: those any of its entries has a value for.</summary>
    /// <remarks>The gradient norms' names are the first entry's that has norms: a run's names never change.</remarks>
    private readonly record struct Columns(bool Validation, bool Accuracy, bool ValidationAccuracy, IReadOnlyList<string>? NormNames)
    {
        public static Columns Of(IReadOnlyList<HistoryEntry> entries)
        {
            var columns = new Columns();
            for (var i = 0; i < entries.Count; i++)
            {
                var e = entries[i];
                columns = new Columns(columns.Validation || e.ValidationCost is not null, columns.Accuracy || e.Accuracy is not null,
                    columns.ValidationAccuracy || e.ValidationAccuracy is not null, columns.NormNames ?? e.GradientNormNames);
                if (columns is { Validation: true, Accuracy: true, ValidationAccuracy: true, NormNames: not null }) break;
            }
            return columns;
        }
    }

    private static LossChunk Encode(string jobId, IReadOnlyList<HistoryEntry> entries, int start, int count, Columns columns)
    {
        var first = entries[start].Epoch;
        var costs = LossChunkCodec.Allocate(count);
        var validations = columns.Validation ? LossChunkCodec.Allocate(count) : null;
        var accuracies = columns.Accuracy ? LossChunkCodec.Allocate(count) : null;
        var validationAccuracies = columns.ValidationAccuracy ? LossChunkCodec.Allocate(count) : null;
        for (var i = 0; i < count; i++)
        {
            var entry = entries[start + i];
            if (entry.Epoch != first + i)
                throw new InvalidOperationException($"History epochs must be consecutive: epoch {entry.Epoch} follows {entries[start + i - 1].Epoch}.");
            LossChunkCodec.Write(costs, i, entry.Cost);
            if (validations is not null) LossChunkCodec.Write(validations, i, entry.ValidationCost ?? double.NaN);
            if (accuracies is not null) LossChunkCodec.Write(accuracies, i, entry.Accuracy ?? double.NaN);
            if (validationAccuracies is not null) LossChunkCodec.Write(validationAccuracies, i, entry.ValidationAccuracy ?? double.NaN);
        }
        return new LossChunk
        {
            JobId = jobId,
            FirstEpoch = first,
            LastEpoch = first + count - 1,
            Costs = costs,
            ValidationCosts = validations,
            Accuracies = accuracies,
            ValidationAccuracies = validationAccuracies,
            GradientNorms = columns.NormNames is { } names ? GradientNormsCodec.Encode(names, entries, start, count) : null,
        };
    }

    /// <summary>The last stored epoch of the job, or 0.</summary>
    public static async Task<int> LastEpochAsync(BackpropDbContext db, string jobId, CancellationToken ct) =>
        await db.LossChunks.Where(c => c.JobId == jobId).MaxAsync(c => (int?)c.LastEpoch, ct) ?? 0;

    /// <summary>Deletes the history after <paramref name="epoch"/>: chunks starting later go, the one containing it is cut short.</summary>
    public static async Task RewindAsync(BackpropDbContext db, string jobId, int epoch, CancellationToken ct)
    {
        await db.LossChunks.Where(c => c.JobId == jobId && c.FirstEpoch > epoch).ExecuteDeleteAsync(ct);
        var straddling = await db.LossChunks.FirstOrDefaultAsync(c => c.JobId == jobId && c.FirstEpoch <= epoch && c.LastEpoch > epoch, ct);
        if (straddling is null) return;
        var keep = epoch - straddling.FirstEpoch + 1;
        straddling.LastEpoch = epoch;
        straddling.Costs = LossChunkCodec.Take(straddling.Costs, keep);
        if (straddling.ValidationCosts is not null) straddling.ValidationCosts = LossChunkCodec.Take(straddling.ValidationCosts, keep);
        if (straddling.Accuracies is not null) straddling.Accuracies = LossChunkCodec.Take(straddling.Accuracies, keep);
        if (straddling.ValidationAccuracies is not null) straddling.ValidationAccuracies = LossChunkCodec.Take(straddling.ValidationAccuracies, keep);
        if (straddling.GradientNorms is not null) straddling.GradientNorms = GradientNormsCodec.Take(straddling.GradientNorms, keep);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Up to <paramref name="take"/> epochs after <paramref name="after"/>, in order, sliced out of the chunks that hold them.</summary>
    public static async Task<List<HistoryEntry>> ReadAsync(BackpropDbContext db, string jobId, int after, int take, CancellationToken ct)
    {
        var entries = new List<HistoryEntry>(Math.Clamp(take, 0, 4096));
        if (take <= 0) return entries;
        var chunks = db.LossChunks.AsNoTracking()
            .Where(c => c.JobId == jobId && c.LastEpoch > after)
            .OrderBy(c => c.FirstEpoch)
            .AsAsyncEnumerable();
        await foreach (var chunk in chunks.WithCancellation(ct))
        {
            var (normNames, normsOffset) = chunk.GradientNorms is { } normBytes ? GradientNormsCodec.ReadHeader(normBytes) : (null, 0);
            for (var epoch = Math.Max(after + 1, chunk.FirstEpoch); epoch <= chunk.LastEpoch; epoch++)
            {
                var index = epoch - chunk.FirstEpoch;
                double? validation = chunk.ValidationCosts is null ? null : LossChunkCodec.Read(chunk.ValidationCosts, index) ?? double.NaN;
                // An accuracy is a fraction, never stored non-finite: a missing column or a NaN is "none".
                var accuracy = chunk.Accuracies is null ? null : LossChunkCodec.Read(chunk.Accuracies, index);
                var validationAccuracy = chunk.ValidationAccuracies is null ? null : LossChunkCodec.Read(chunk.ValidationAccuracies, index);
                var norms = normNames is null ? null : GradientNormsCodec.Read(chunk.GradientNorms!, normsOffset, normNames.Length, index);
                entries.Add(new HistoryEntry(epoch, LossChunkCodec.Read(chunk.Costs, index) ?? double.NaN, validation, accuracy, validationAccuracy,
                    normNames, norms));
                if (entries.Count == take) return entries;
            }
        }
        return entries;
    }

    /// <summary>The stored costs of epochs after..through, as stored (NaN where not finite).</summary>
    public static async Task<double[]> ReadCostsAsync(BackpropDbContext db, string jobId, int after, int through, CancellationToken ct)
    {
        var costs = new double[Math.Max(0, through - after)];
        if (costs.Length == 0) return costs;
        var chunks = db.LossChunks.AsNoTracking()
            .Where(c => c.JobId == jobId && c.LastEpoch > after && c.FirstEpoch <= through)
            .OrderBy(c => c.FirstEpoch)
            .AsAsyncEnumerable();
        await foreach (var chunk in chunks.WithCancellation(ct))
            for (var epoch = Math.Max(after + 1, chunk.FirstEpoch); epoch <= Math.Min(through, chunk.LastEpoch); epoch++)
                costs[epoch - after - 1] = LossChunkCodec.Read(chunk.Costs, epoch - chunk.FirstEpoch) ?? double.NaN;
        return costs;
    }
}
