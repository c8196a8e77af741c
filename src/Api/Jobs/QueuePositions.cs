using BackpropService.Persistence;
using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Jobs;

/// <summary>
/// A queued job's place in the queue, in the order the worker claims (see the dialects' claim): running jobs whose
/// lease expired first, then queued jobs oldest first (ties by id). 1 is the job claimed next; null when not queued.
/// The worker claims across owners, so the jobs ahead are counted across owners too (a count, never their ids).
/// <para>
/// The claim skips a trial whose sweep already trains <c>maxConcurrent</c> trials. While such sweeps have queued
/// trials, the positions follow the claims as they would go from now on if nothing finished: the queue is walked in
/// order, each sweep's free slots handed to its first queued trials; the trials left without one come after every
/// job that can start, in order (they start as trials of their sweep end, and their positions move up then).
/// </para>
/// </summary>
public static class QueuePositions
{
    /// <summary>One job's position: one COUNT of the jobs claimed before it.</summary>
    public static async Task<int?> OfAsync(BackpropDbContext db, TrainingJob job, DateTime now, CancellationToken ct)
    {
        if (job.Status != JobStatus.Queued) return null;
        // Claimed since it was read: it was the next one.
        if (await BoundedSweepsWait.For(db)(db, ct)) return (await WalkAsync(db, now, ct)).TryGetValue(job.Id, out var walked) ? walked : 1;
        return 1 + await Ahead.For(db)(db, now, job.CreatedAt, job.Id, ct);
    }

    // One job's GET asks both on every read of a queued job: compiled (see PerModel).
    private static readonly PerModel<Func<BackpropDbContext, DateTime, DateTime, string, CancellationToken, Task<int>>> Ahead =
        new(() => EF.CompileAsyncQuery((BackpropDbContext db, DateTime now, DateTime created, string id, CancellationToken ct) =>
            db.Jobs.IgnoreQueryFilters().Count(o =>
                (o.Status == JobStatus.Running && o.LeaseExpiresAt < now) ||
                (o.Status == JobStatus.Queued && (o.CreatedAt < created || (o.CreatedAt == created && o.Id.CompareTo(id) < 0))))));

    /// <summary>Whether a queued trial belongs to a sweep with maxConcurrent (else the plain counts are exact).</summary>
    private static readonly PerModel<Func<BackpropDbContext, CancellationToken, Task<bool>>> BoundedSweepsWait =
        new(() => EF.CompileAsyncQuery((BackpropDbContext db, CancellationToken ct) =>
            db.Jobs.IgnoreQueryFilters().Any(j => j.Status == JobStatus.Queued && j.SweepId != null &&
                db.Sweeps.IgnoreQueryFilters().Any(s => s.Id == j.SweepId && s.MaxConcurrent != null))));

    /// <summary>The positions of the queued jobs among <paramref name="jobs"/>, by id, in one query (none without one queued).</summary>
    public static async Task<Dictionary<string, int>> OfAsync(BackpropDbContext db, IReadOnlyCollection<TrainingJob> jobs, DateTime now, CancellationToken ct)
    {
        var queued = jobs.Where(j => j.Status == JobStatus.Queued).Select(j => j.Id).ToList();
        if (queued.Count == 0) return [];
        if (await BoundedSweepsWait.For(db)(db, ct))
        {
            var all = await WalkAsync(db, now, ct);
            return queued.Where(all.ContainsKey).ToDictionary(id => id, id => all[id]);
        }
        var ahead = await db.Jobs.AsNoTracking()
            .Where(j => queued.Contains(j.Id))
            .Select(j => new
            {
                j.Id,
                Ahead = db.Jobs.IgnoreQueryFilters().Count(o =>
                    (o.Status == JobStatus.Running && o.LeaseExpiresAt < now) ||
                    (o.Status == JobStatus.Queued && (o.CreatedAt < j.CreatedAt || (o.CreatedAt == j.CreatedAt && o.Id.CompareTo(j.Id) < 0)))),
            })
            .ToListAsync(ct);
        return ahead.ToDictionary(a => a.Id, a => a.Ahead + 1);
    }


    /// <summary>Every queued job's position, by walking the queue as the claims would (see the remarks above).</summary>
    private static async Task<Dictionary<string, int>> WalkAsync(BackpropDbContext db, DateTime now, CancellationToken ct)
    {
        var jobs = db.Jobs.IgnoreQueryFilters().AsNoTracking();
        var abandoned = await jobs.CountAsync(o => o.Status == JobStatus.Running && o.LeaseExpiresAt < now, ct);
        var free = await db.Sweeps.IgnoreQueryFilters().AsNoTracking()
            .Where(s => s.MaxConcurrent != null && jobs.Any(j => j.SweepId == s.Id && j.Status == JobStatus.Queued))
            .Select(s => new { s.Id, Free = s.MaxConcurrent!.Value - jobs.Count(j => j.SweepId == s.Id && j.Status == JobStatus.Running) })
            .ToDictionaryAsync(s => s.Id, s => s.Free, ct);
        var queue = await jobs.Where(j => j.Status == JobStatus.Queued).OrderBy(j => j.CreatedAt).ThenBy(j => j.Id)
            .Select(j => new { j.Id, j.SweepId }).ToListAsync(ct);

        var positions = new Dictionary<string, int>(queue.Count);
        var waiting = new List<string>();
        var next = abandoned + 1;
        foreach (var job in queue)
        {
            if (job.SweepId is { } sweep && free.TryGetValue(sweep, out var slots))
            {
                if (slots <= 0) { waiting.Add(job.Id); continue; }
                free[sweep] = slots - 1;
            }
            positions[job.Id] = next++;
        }
        foreach (var id in waiting) positions[id] = next++;
        return positions;
    }
}
