using BackpropService.Api.Jobs;
using BackpropService.Engine;
using BackpropService.Persistence;
using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Training;

/// <summary>
/// A job's history as <see cref="LossChunk"/> rows: appending a flush, reading a page, trimming after an epoch.
/// Callers that write do so inside their lease-fenced transaction.
/// </summary>
public static class HistoryChunks
{
    /// <summary>
    /// Stores the flush's epochs (consecutive, ascending) as one chunk, or several when longer than
    /// <see cref="LossChunkCodec.MaxEpochsPerChunk"/>, each saved on its own.
    /// </summary>
    /// <remarks>
    /// NOTE: the thread yields its core between chunks. A fast job's flush writes a dozen or more of them in one
    /// burst of several milliseconds; when the other cores train, a request that woke meanwhile would otherwise wait
    /// for the whole burst (the flush loop's share of the idle-read p99, see docs/performance.md).
    /// </remarks>
    public static async Task AppendAsync(BackpropDbContext db, string jobId, IReadOnlyList<EpochReport> points, CancellationToken ct)
    {
        var hasValidation = false;
        for (var i = 0; i < points.Count && !hasValidation; i++) hasValidation = points[i].ValidationCost is not null;
        for (var start = 0; start < points.Count; start += LossChunkCodec.MaxEpochsPerChunk)
        {
            if (start > 0) Thread.Yield();
            var chunk = db.LossChunks.Add(Encode(jobId, points, start, Math.Min(LossChunkCodec.MaxEpochsPerChunk, points.Count - start), hasValidation));
            await db.SaveChangesAsync(ct);
            // Saved: stop tracking it, or every later SaveChanges of the flush would compare its 64 KB blob again.
            chunk.State = EntityState.Detached;
        }
    }

    private static LossChunk Encode(string jobId, IReadOnlyList<EpochReport> points, int start, int count, bool hasValidation)
    {
        var first = points[start].Epoch;
        var costs = LossChunkCodec.Allocate(count);
        var validations = hasValidation ? LossChunkCodec.Allocate(count) : null;
        for (var i = 0; i < count; i++)
        {
            var point = points[start + i];
            if (point.Epoch != first + i)
                throw new InvalidOperationException($"History epochs must be consecutive: epoch {point.Epoch} follows {points[start + i - 1].Epoch}.");
            LossChunkCodec.Write(costs, i, point.Cost);
            if (validations is not null) LossChunkCodec.Write(validations, i, point.ValidationCost ?? double.NaN);
        }
        return new LossChunk
        {
            JobId = jobId,
            FirstEpoch = first,
            LastEpoch = first + count - 1,
            Costs = costs,
            ValidationCosts = validations,
        };
    }

    /// <summary>The last stored epoch of the job, or 0.</summary>
    public static async Task<int> LastEpochAsync(BackpropDbContext db, string jobId, CancellationToken ct) =>
        await db.LossChunks.Where(c => c.JobId == jobId).MaxAsync(c => (int?)c.LastEpoch, ct) ?? 0;

    /// <summary>Deletes the history after <paramref name="epoch"/>: chunks starting later go, the one containing it is cut short.</summary>
    public static async Task TrimAfterAsync(BackpropDbContext db, string jobId, int epoch, CancellationToken ct)
    {
        await db.LossChunks.Where(c => c.JobId == jobId && c.FirstEpoch > epoch).ExecuteDeleteAsync(ct);
        var straddling = await db.LossChunks.FirstOrDefaultAsync(c => c.JobId == jobId && c.FirstEpoch <= epoch && c.LastEpoch > epoch, ct);
        if (straddling is null) return;
        var keep = epoch - straddling.FirstEpoch + 1;
        straddling.LastEpoch = epoch;
        straddling.Costs = LossChunkCodec.Take(straddling.Costs, keep);
        if (straddling.ValidationCosts is not null) straddling.ValidationCosts = LossChunkCodec.Take(straddling.ValidationCosts, keep);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Up to <paramref name="take"/> epochs after <paramref name="after"/>, in order, sliced out of the chunks that hold them.</summary>
    public static async Task<List<HistoryPoint>> ReadAsync(BackpropDbContext db, string jobId, int after, int take, CancellationToken ct)
    {
        var points = new List<HistoryPoint>(Math.Min(take, 4096));
        if (take <= 0) return points;
        var chunks = db.LossChunks.AsNoTracking()
            .Where(c => c.JobId == jobId && c.LastEpoch > after)
            .OrderBy(c => c.FirstEpoch)
            .AsAsyncEnumerable();
        await foreach (var chunk in chunks.WithCancellation(ct))
        {
            for (var epoch = Math.Max(after + 1, chunk.FirstEpoch); epoch <= chunk.LastEpoch; epoch++)
            {
                var index = epoch - chunk.FirstEpoch;
                var validation = chunk.ValidationCosts is null ? null : LossChunkCodec.Read(chunk.ValidationCosts, index);
                points.Add(new HistoryPoint(epoch, LossChunkCodec.Read(chunk.Costs, index), validation));
                if (points.Count == take) return points;
            }
        }
        return points;
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
