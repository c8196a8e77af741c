using System.Linq.Expressions;
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

    private sealed record StatusCount(JobStatus Status, int Count);

    private sealed record BestRow(string Id, string? SweepParams, double? Value);

    /// <summary>The sweep (untracked), or null when it does not exist or the owner filter hides it.</summary>
    public static Task<Sweep?> ByIdAsync(BackpropDbContext db, string id, CancellationToken ct) => ById.For(db)(db, id, ct);

    /// <summary>
    /// One sweep (its GET, which clients poll while it runs): its counts read from the (SweepId, Status) index alone,
    /// the last finish only once no trial is left to run, the best trial; each a query compiled once per model.
    /// </summary>
    public static async Task<SweepResponse> ReadAsync(BackpropDbContext db, Sweep sweep, CancellationToken ct)
    {
        var groups = new List<Group>();
        await foreach (var count in CountsOf.For(db)(db, sweep.Id).WithCancellation(ct))
            groups.Add(new Group(sweep.Id, count.Status, count.Count, null));
        var counts = Counts(groups);
        var lastFinished = sweep.CancelledAt is null && counts.Queued + counts.Running == 0 ? await LastFinishedOf.For(db)(db, sweep.Id, ct) : null;
        return await ToResponseAsync(db, sweep, counts, lastFinished, ct);
    }

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
        {
            var mine = groups[sweep.Id].ToList();
            responses.Add(await ToResponseAsync(db, sweep, Counts(mine), mine.Max(g => g.LastFinished), ct));
        }
        return responses;
    }

    private static SweepTrialCounts Counts(List<Group> groups)
    {
        int Of(JobStatus status) => groups.Where(g => g.Status == status).Sum(g => g.Count);
        return new SweepTrialCounts(groups.Sum(g => g.Count), Of(JobStatus.Queued), Of(JobStatus.Running),
            Of(JobStatus.Succeeded), Of(JobStatus.Failed), Of(JobStatus.Cancelled));
    }

    // lastFinished: the latest finish among the trials, needed only when none is left to run.
    private static async Task<SweepResponse> ToResponseAsync(BackpropDbContext db, Sweep sweep, SweepTrialCounts counts, DateTime? lastFinished, CancellationToken ct)
    {
        var unfinished = counts.Queued + counts.Running;
        var status = sweep.CancelledAt is not null ? "cancelled"
            : unfinished > 0 ? (unfinished == counts.Total && counts.Running == 0 ? "queued" : "running")
            : counts.Succeeded > 0 ? "succeeded" : "failed";
        var finishedAt = sweep.CancelledAt ?? (unfinished > 0 ? null : lastFinished);
        var best = counts.Succeeded > 0 ? await BestAsync(db, sweep, ct) : null;
        return new SweepResponse(sweep.Id, sweep.Name, status, sweep.Metric, sweep.MaxConcurrent, counts, best, sweep.CreatedAt, finishedAt);
    }

    /// <summary>The succeeded trial with the best value (ties: the earlier trial), or null while none has a value.</summary>
    private static async Task<SweepBest?> BestAsync(BackpropDbContext db, Sweep sweep, CancellationToken ct)
    {
        var best = await BestBy[sweep.Metric].For(db)(db, sweep.Id, ct);
        return best is null || Finite.OrNull(best.Value) is not { } value ? null : new SweepBest(best.Id, Params(best.SweepParams), value);
    }

    private static readonly PerModel<Func<BackpropDbContext, string, CancellationToken, Task<Sweep?>>> ById =
        new(() => EF.CompileAsyncQuery((BackpropDbContext db, string id, CancellationToken ct) => db.Sweeps.AsNoTracking().FirstOrDefault(s => s.Id == id)));

    private static readonly PerModel<Func<BackpropDbContext, string, IAsyncEnumerable<StatusCount>>> CountsOf =
        new(() => EF.CompileAsyncQuery((BackpropDbContext db, string sweepId) =>
            db.Jobs.AsNoTracking().Where(j => j.SweepId == sweepId).GroupBy(j => j.Status).Select(g => new StatusCount(g.Key, g.Count()))));

    private static readonly PerModel<Func<BackpropDbContext, string, CancellationToken, Task<DateTime?>>> LastFinishedOf =
        new(() => EF.CompileAsyncQuery((BackpropDbContext db, string sweepId, CancellationToken ct) =>
            db.Jobs.Where(j => j.SweepId == sweepId).Max(j => j.FinishedAt)));

    private static readonly Dictionary<string, PerModel<Func<BackpropDbContext, string, CancellationToken, Task<BestRow?>>>> BestBy =
        SweepMetric.All.ToDictionary(m => m.Name, m => new PerModel<Func<BackpropDbContext, string, CancellationToken, Task<BestRow?>>>(
            () => EF.CompileAsyncQuery(BestQuery(m))));

    /// <summary>
    /// The best trial's query for <paramref name="metric"/>: its succeeded trials with a value, best value first, then by
    /// id; composed as an expression, since the value's expression is the metric's (a compiled query needs it whole).
    /// </summary>
    private static Expression<Func<BackpropDbContext, string, CancellationToken, BestRow?>> BestQuery(SweepMetric metric)
    {
        Expression<Func<BackpropDbContext, string, CancellationToken, IQueryable<TrainingJob>>> succeeded = (db, sweepId, ct) =>
            db.Jobs.AsNoTracking().Where(j => j.SweepId == sweepId && j.Status == JobStatus.Succeeded);
        var query = Queryable("Where", [typeof(TrainingJob)], succeeded.Body, metric.With((j, v) => v != null));
        query = Queryable(metric.HigherIsBetter ? "OrderByDescending" : "OrderBy", [typeof(TrainingJob), typeof(double?)], query, metric.Value);
        query = Queryable("ThenBy", [typeof(TrainingJob), typeof(string)], query, (Expression<Func<TrainingJob, string>>)(j => j.Id));
        query = Queryable("Select", [typeof(TrainingJob), typeof(BestRow)], query, metric.With((j, v) => new BestRow(j.Id, j.SweepParams, v)));
        query = Queryable("FirstOrDefault", [typeof(BestRow)], query);
        return Expression.Lambda<Func<BackpropDbContext, string, CancellationToken, BestRow?>>(query, succeeded.Parameters);
    }

    private static MethodCallExpression Queryable(string method, Type[] typeArguments, Expression source, LambdaExpression? argument = null) =>
        Expression.Call(typeof(Queryable), method, typeArguments, argument is null ? [source] : [source, Expression.Quote(argument)]);

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
