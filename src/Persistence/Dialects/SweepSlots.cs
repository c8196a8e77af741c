using System.Linq.Expressions;
using BackpropService.Persistence.Entities;

namespace BackpropService.Persistence.Dialects;

/// <summary>
/// A sweep's <c>maxConcurrent</c> as the claim sees it: a job may be claimed unless it is a trial of a sweep that
/// already has that many trials running. Taking over a running trial (its lease expired) adds none, so it always may.
/// </summary>
internal static class SweepSlots
{
    public static Expression<Func<TrainingJob, bool>> HasRoom(BackpropDbContext db) => j =>
        j.Status == JobStatus.Running ||
        j.SweepId == null ||
        !db.Sweeps.Any(s => s.Id == j.SweepId && s.MaxConcurrent != null &&
            db.Jobs.Count(r => r.SweepId == s.Id && r.Status == JobStatus.Running) >= s.MaxConcurrent);

    /// <summary>The same condition in PostgreSQL's SQL, for the claim statement (candidate alias <c>c</c>, <c>@running</c> bound).</summary>
    public const string PostgresHasRoom = """
        (c."Status" = @running OR c."SweepId" IS NULL OR NOT EXISTS (
            SELECT 1 FROM "Sweeps" AS s
            WHERE s."Id" = c."SweepId" AND s."MaxConcurrent" IS NOT NULL
              AND (SELECT COUNT(*) FROM "Jobs" AS r WHERE r."SweepId" = s."Id" AND r."Status" = @running) >= s."MaxConcurrent"))
        """;
}
