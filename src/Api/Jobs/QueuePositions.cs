using BackpropService.Persistence;
using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Jobs;

/// <summary>
/// A queued job's place in the queue, in the order the worker claims (see the dialects' claim): running jobs whose
/// lease expired first, then queued jobs oldest first (ties by id). 1 is the job claimed next; null when not queued.
/// The worker claims across owners, so the jobs ahead are counted across owners too (a count, never their ids).
/// </summary>
public static class QueuePositions
{
    /// <summary>One job's position: one COUNT of the jobs claimed before it.</summary>
    public static async Task<int?> OfAsync(BackpropDbContext db, TrainingJob job, DateTime now, CancellationToken ct)
    {
        if (job.Status != JobStatus.Queued) return null;
        var (created, id) = (job.CreatedAt, job.Id);
        return 1 + await db.Jobs.IgnoreQueryFilters().CountAsync(o =>
            (o.Status == JobStatus.Running && o.LeaseExpiresAt < now) ||
            (o.Status == JobStatus.Queued && (o.CreatedAt < created || (o.CreatedAt == created && o.Id.CompareTo(id) < 0))), ct);
    }

    /// <summary>The positions of the queued jobs among <paramref name="jobs"/>, by id, in one query (none without one queued).</summary>
    public static async Task<Dictionary<string, int>> OfAsync(BackpropDbContext db, IReadOnlyCollection<TrainingJob> jobs, DateTime now, CancellationToken ct)
    {
        var queued = jobs.Where(j => j.Status == JobStatus.Queued).Select(j => j.Id).ToList();
        if (queued.Count == 0) return [];
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
}
