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
    /// NOTE: no yield between chunks (there was one, for the idle-read p99): the writer holds the service's write turn
    /// (<see cref="Dialects.WriteTurns"/>), and a yield on busy cores held it, and every claim and end behind it, for a
    /// scheduler slice (docs/performance.md, "claim on the spot").
    /// </remarks>
    public static async Task AppendAsync(BackpropDbContext db, string jobId, IReadOnlyList<HistoryEntry> entries, CancellationToken ct)
    {
        if (entries.Count == 0) return;
        // A run records gradient norms for every epoch or for none, under the same names: its first entry says which.
        var normNames = entries[0].GradientNormNames;
        var perChunk = normNames is not null ? GradientNormsCodec.MaxEpochsPerChunk(normNames.Count) : LossChunkCodec.MaxEpochsPerChunk;
        for (var start = 0; start < entries.Count; start += perChunk)
            await InsertAsync(db, Encode(jobId, entries, start, Math.Min(perChunk, entries.Count - start), normNames), ct);
    }

    // NOTE: a statement, not the change tracker: SaveChanges cost several times the insert itself for a small flush.
    private static Task InsertAsync(BackpropDbContext db, LossChunk chunk, CancellationToken ct) => RawSql.ExecuteAsync(db, """
        INSERT INTO "LossChunks" ("JobId", "FirstEpoch", "LastEpoch", "Costs", "ValidationCosts", "Accuracies", "ValidationAccuracies", "GradientNorms")
        VALUES ({0}, {1}, {2}, {3}, {4}, {5}, {6}, {7})
        """, ct, (chunk.JobId, DbType.String), (chunk.FirstEpoch, DbType.Int32), (chunk.LastEpoch, DbType.Int32), (chunk.Costs, DbType.Binary),
        (chunk.ValidationCosts, DbType.Binary), (chunk.Accuracies, DbType.Binary), (chunk.ValidationAccuracies, DbType.Binary), (chunk.GradientNorms, DbType.Binary));

    /// <remarks>
    /// One pass over the entries into pooled buffers, a column each (at most 64 KiB: see
    /// <see cref="LossChunkCodec.MaxEpochsPerChunk"/>), then each column encoded on its own: the codec reads its values
    /// twice, to find the layout and to write it. The optional columns stored are those any of the chunk's entries has
    /// a value for (a run has a validation split and an accuracy for every epoch or for none).
    /// NOTE: one pass, not a pass to find the columns first: reading the entries was most of a short job's history
    /// write (docs/performance.md, "claim on the spot").
    /// </remarks>
    private static LossChunk Encode(string jobId, IReadOnlyList<HistoryEntry> entries, int start, int count, IReadOnlyList<string>? normNames)
    {
        var first = entries[start].Epoch;
        var pool = ArrayPool<double>.Shared;
        double[] costs = pool.Rent(count), validations = pool.Rent(count), accuracies = pool.Rent(count), validationAccuracies = pool.Rent(count);
        bool validation = false, accuracy = false, validationAccuracy = false;
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
                validation |= entry.ValidationCost is not null;
                accuracy |= entry.Accuracy is not null;
                validationAccuracy |= entry.ValidationAccuracy is not null;
            }
            return new LossChunk
            {
                JobId = jobId,
                FirstEpoch = first,
                LastEpoch = first + count - 1,
                Costs = LossChunkCodec.Encode(costs.AsSpan(0, count)),
                ValidationCosts = validation ? LossChunkCodec.Encode(validations.AsSpan(0, count)) : null,
                Accuracies = accuracy ? LossChunkCodec.Encode(accuracies.AsSpan(0, count)) : null,
                ValidationAccuracies = validationAccuracy ? LossChunkCodec.Encode(validationAccuracies.AsSpan(0, count)) : null,
                GradientNorms = normNames is not null ? GradientNormsCodec.Encode(normNames, entries, start, count) : null,
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
