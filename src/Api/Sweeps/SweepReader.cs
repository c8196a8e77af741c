using System.Text.Json;
using BackpropService.Api.Infrastructure;
using BackpropService.Persistence;
using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Sweeps;

/// <summary>
/// The sweep object, read from its trials' rows each time: the counts are one grouped count, the status follows
/// from them (and the cancel), the best trial is one ordered query. No counter is kept anywhere that a kill, a
/// takeover or a second replica could leave behind; a deleted trial simply no longer counts.
/// </summary>
public static class SweepReader
{
    private sealed record Group(string SweepId, JobStatus Status, int Count, DateTime? LastFinished);

    public static async Task<SweepResponse> ReadAsync(BackpropDbContext db, Sweep sweep, CancellationToken ct) =>
        (await ReadAsync(db, [sweep], ct))[0];

    /// <summary>The sweep objects of <paramref name="sweeps"/>, in order: one grouped count for all, one best-trial query each.</summary>
    public static async Task<List<SweepResponse>> ReadAsync(BackpropDbContext db, IReadOnlyList<Sweep> sweeps, CancellationToken ct)
    {
        var ids = sweeps.Select(s => s.Id).ToList();
        var groups = (await db.Jobs.AsNoTracking()
            .Where(j => j.SweepId != null && ids.Contains(j.SweepId))
            .GroupBy(j => new { j.SweepId, j.Status })
            .Select(g => new { g.Key.SweepId, g.Key.Status, Count = g.Count(), LastFinished = g.Max(j => j.FinishedAt) })
            .ToListAsync(ct))
            .Select(g => new Group(g.SweepId!, g.Status, g.Count, g.LastFinished))
            .ToLookup(g => g.SweepId);
        var responses = new List<SweepResponse>(sweeps.Count);
        foreach (var sweep in sweeps)
            responses.Add(await ToResponseAsync(db, sweep, groups[sweep.Id].ToList(), ct));
        return responses;
    }

    private static async Task<SweepResponse> ToResponseAsync(BackpropDbContext db, Sweep sweep, List<Group> groups, CancellationToken ct)
    {
        int Of(JobStatus status) => groups.Where(g => g.Status == status).Sum(g => g.Count);
        var counts = new SweepTrialCounts(groups.Sum(g => g.Count), Of(JobStatus.Queued), Of(JobStatus.Running),
            Of(JobStatus.Succeeded), Of(JobStatus.Failed), Of(JobStatus.Cancelled));
        var unfinished = counts.Queued + counts.Running;
        var status = sweep.CancelledAt is not null ? "cancelled"
            : unfinished > 0 ? (unfinished == counts.Total && counts.Running == 0 ? "queued" : "running")
            : counts.Succeeded > 0 ? "succeeded" : "failed";
        var finishedAt = sweep.CancelledAt ?? (unfinished > 0 ? null : groups.Max(g => g.LastFinished));
        var best = counts.Succeeded > 0 ? await BestAsync(db, sweep, ct) : null;
        return new SweepResponse(sweep.Id, sweep.Name, status, sweep.Metric, sweep.MaxConcurrent, counts, best, sweep.CreatedAt, finishedAt);
    }

    /// <summary>The succeeded trial with the best value (ties: the earlier trial), or null while none has a value.</summary>
    private static async Task<SweepBest?> BestAsync(BackpropDbContext db, Sweep sweep, CancellationToken ct)
    {
        var metric = SweepMetric.Named(sweep.Metric)!;
        var valued = db.Jobs.AsNoTracking().Where(j => j.SweepId == sweep.Id && j.Status == JobStatus.Succeeded)
            .Where(metric.With((j, v) => v != null));
        var ordered = metric.HigherIsBetter ? valued.OrderByDescending(metric.Value) : valued.OrderBy(metric.Value);
        var best = await ordered.ThenBy(j => j.Id).Select(metric.With((j, v) => new { j.Id, j.SweepParams, Value = v })).FirstOrDefaultAsync(ct);
        return best is null || Finite.OrNull(best.Value) is not { } value ? null : new SweepBest(best.Id, Params(best.SweepParams), value);
    }

    /// <summary>
    /// A page of the leaderboard: ended trials with a value by value (best first; ties by creation order), then ended
    /// trials without one, then the unfinished ones in creation order. The cursor is the offset of the next page.
    /// </summary>
    public static async Task<(List<TrialResponse> Items, int? Next)> LeaderboardAsync(BackpropDbContext db, Sweep sweep, int offset, int take, CancellationToken ct)
    {
        var metric = SweepMetric.Named(sweep.Metric)!;
        var trials = db.Jobs.AsNoTracking().Where(j => j.SweepId == sweep.Id);
        var grouped = trials.OrderBy(metric.With((j, v) =>
            j.Status == JobStatus.Queued || j.Status == JobStatus.Running ? 2 : v == null ? 1 : 0));
        // Unfinished trials have a value too (their cost so far); they are listed in creation order, so it must not sort them.
        var rank = metric.With((j, v) => j.Status == JobStatus.Queued || j.Status == JobStatus.Running ? null : v);
        var ordered = metric.HigherIsBetter ? grouped.ThenByDescending(rank) : grouped.ThenBy(rank);
        var rows = await ordered.ThenBy(j => j.Id).Skip(offset).Take(take + 1)
            .Select(metric.With((j, v) => new { j.Id, j.SweepParams, j.Status, j.EpochsCompleted, j.Cost, j.ValidationCost, Value = v }))
            .ToListAsync(ct);
        var items = rows.Take(take).Select(r => new TrialResponse(r.Id, Params(r.SweepParams), Wire(r.Status), r.EpochsCompleted,
            Finite.OrNull(r.Cost), Finite.OrNull(r.ValidationCost), Finite.OrNull(r.Value))).ToList();
        return (items, rows.Count > take ? offset + take : null);
    }

    public static string Wire(JobStatus status) => status.ToString().ToLowerInvariant();

    public static JsonElement Params(string? json) => JsonDocument.Parse(json ?? "{}").RootElement.Clone();
}
