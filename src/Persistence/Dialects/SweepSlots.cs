namespace BackpropService.Persistence.Dialects;

/// <summary>
/// A sweep's <c>maxConcurrent</c> as the claim sees it: a job may be claimed unless it is a trial of a sweep that
/// already has that many trials running. Taking over a running trial (its lease expired) adds none, so it always may.
/// </summary>
internal static class SweepSlots
{
    /// <summary>The condition in SQL both engines read, for the claim's seek (candidate alias <c>c</c>, <c>@running</c> bound).</summary>
    public const string HasRoomSql = """
        (c."Status" = @running OR c."SweepId" IS NULL OR NOT EXISTS (
            SELECT 1 FROM "Sweeps" AS s
            WHERE s."Id" = c."SweepId" AND s."MaxConcurrent" IS NOT NULL
              AND (SELECT COUNT(*) FROM "Jobs" AS r WHERE r."SweepId" = s."Id" AND r."Status" = @running) >= s."MaxConcurrent"))
        """;

    /// <summary>
    /// A queued trial's room (<see cref="ClaimCandidate.SweepRoom"/>) in the same SQL: its sweep's bound minus its running
    /// trials, or NULL when the sweep has no bound (or the job is no trial).
    /// </summary>
    public const string RoomSql = """
        (SELECT s."MaxConcurrent" - (SELECT COUNT(*) FROM "Jobs" AS r WHERE r."SweepId" = s."Id" AND r."Status" = @running)
         FROM "Sweeps" AS s WHERE s."Id" = c."SweepId" AND s."MaxConcurrent" IS NOT NULL)
        """;
}
