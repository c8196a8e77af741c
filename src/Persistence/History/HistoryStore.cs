using System.Buffers;
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

    /// <remarks>
    /// One pass over the entries into pooled buffers, a column each (at most 64 KiB: see
    /// <see cref="LossChunkCodec.MaxEpochsPerChunk"/>), then each column encoded on its own: the codec reads its values
    /// twice, to find the layout and to write it.
    /// </remarks>
    private static LossChunk Encode(string jobId, IReadOnlyList<HistoryEntry> entries, int start, int count, Columns columns)
    {
        var first = entries[start].Epoch;
        var pool = ArrayPool<double>.Shared;
        double[] costs = pool.Rent(count), validations = pool.Rent(count), accuracies = pool.Rent(count), validationAccuracies = pool.Rent(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var entry = entries[start + i];
                if (entry.Epoch != first + i)
                    throw new InvalidOperationException($"History epochs must be consecutive: epoch {entry.Epoch} follows {entries[start + i - 1].Epoch}.");
                costs[i] = entry.Cost;
                validations[i] = entry.ValidationCost ?? double.NaN;
                accuracies[i] = entry.Accuracy ?? double.NaN;
                validationAccuracies[i] = entry.ValidationAccuracy ?? double.NaN;
            }
            return new LossChunk
            {
                JobId = jobId,
                FirstEpoch = first,
                LastEpoch = first + count - 1,
                Costs = LossChunkCodec.Encode(costs.AsSpan(0, count)),
                ValidationCosts = columns.Validation ? LossChunkCodec.Encode(validations.AsSpan(0, count)) : null,
                Accuracies = columns.Accuracy ? LossChunkCodec.Encode(accuracies.AsSpan(0, count)) : null,
                ValidationAccuracies = columns.ValidationAccuracy ? LossChunkCodec.Encode(validationAccuracies.AsSpan(0, count)) : null,
                GradientNorms = columns.NormNames is { } names ? GradientNormsCodec.Encode(names, entries, start, count) : null,
            };
        }
        finally
        {
            pool.Return(costs);
            pool.Return(validations);
            pool.Return(accuracies);
            pool.Return(validationAccuracies);
        }
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
        var count = Count(straddling);
        var keep = epoch - straddling.FirstEpoch + 1;
        straddling.LastEpoch = epoch;
        straddling.Costs = LossChunkCodec.Take(straddling.Costs, count, keep);
        if (straddling.ValidationCosts is not null) straddling.ValidationCosts = LossChunkCodec.Take(straddling.ValidationCosts, count, keep);
        if (straddling.Accuracies is not null) straddling.Accuracies = LossChunkCodec.Take(straddling.Accuracies, count, keep);
        if (straddling.ValidationAccuracies is not null) straddling.ValidationAccuracies = LossChunkCodec.Take(straddling.ValidationAccuracies, count, keep);
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
            var from = Math.Max(after + 1, chunk.FirstEpoch) - chunk.FirstEpoch;
            var length = Math.Min(Count(chunk) - from, take - entries.Count);
            var costs = Decode(chunk.Costs, chunk, from, length)!;
            var validations = Decode(chunk.ValidationCosts, chunk, from, length);
            var accuracies = Decode(chunk.Accuracies, chunk, from, length);
            var validationAccuracies = Decode(chunk.ValidationAccuracies, chunk, from, length);
            for (var i = 0; i < length; i++)
            {
                var index = from + i;
                var norms = normNames is null ? null : GradientNormsCodec.Read(chunk.GradientNorms!, normsOffset, normNames.Length, index);
                // An accuracy is a fraction, never stored non-finite: a missing column or a NaN is "none".
                entries.Add(new HistoryEntry(chunk.FirstEpoch + index, costs[i], validations?[i], Fraction(accuracies, i), Fraction(validationAccuracies, i),
                    normNames, norms));
            }
            if (entries.Count == take) return entries;
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
        {
            var first = Math.Max(after + 1, chunk.FirstEpoch);
            var last = Math.Min(through, chunk.LastEpoch);
            LossChunkCodec.Decode(chunk.Costs, Count(chunk), first - chunk.FirstEpoch, costs.AsSpan(first - after - 1, last - first + 1));
        }
        return costs;
    }

    private static int Count(LossChunk chunk) => chunk.LastEpoch - chunk.FirstEpoch + 1;

    /// <summary>Values from..from + length − 1 of one of the chunk's columns (NaN where not finite); null without the column.</summary>
    private static double[]? Decode(byte[]? column, LossChunk chunk, int from, int length)
    {
        if (column is null) return null;
        var values = new double[length];
        LossChunkCodec.Decode(column, Count(chunk), from, values);
        return values;
    }

    private static double? Fraction(double[]? values, int i) => values is null || double.IsNaN(values[i]) ? null : values[i];
}
