using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BackpropService.Persistence.Dialects;

/// <summary>
/// The claim on PostgreSQL, in one statement: lock the job that waited longest (an expired lease first, then the
/// oldest queued) with <c>FOR UPDATE SKIP LOCKED</c> and write the new lease and attempt token on it. Replicas
/// claiming at once skip each other's locked rows instead of queuing behind them, so each gets a different job.
/// </summary>
/// <remarks>
/// NOTE: under READ COMMITTED, a row that another transaction changed before we locked it is checked against the
/// WHERE clause again once locked, so a job claimed (or renewed) a moment ago is never claimed twice.
/// </remarks>
internal static class PostgresJobClaim
{
    private const string Sql = """
        UPDATE "Jobs" AS j
        SET "Status" = @running, "LeaseOwner" = @owner, "LeaseExpiresAt" = @expires, "AttemptToken" = @token,
            "Attempts" = j."Attempts" + 1, "StartedAt" = COALESCE(j."StartedAt", @now)
        WHERE j."Id" = (
            SELECT c."Id" FROM "Jobs" AS c
            WHERE c."Status" = @queued OR (c."Status" = @running AND c."LeaseExpiresAt" < @now)
            ORDER BY CASE WHEN c."Status" = @running THEN 0 ELSE 1 END, c."CreatedAt", c."Id"
            LIMIT 1
            FOR UPDATE SKIP LOCKED)
        RETURNING j."Id", j."Attempts"
        """;

    public static async Task<JobClaim?> TryClaimAsync(BackpropDbContext db, ClaimRequest claim, CancellationToken ct)
    {
        var now = claim.Time.GetUtcNow().UtcDateTime;
        var token = Guid.NewGuid().ToString("N");
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand(Sql, connection);
            command.Parameters.AddWithValue("running", JobStatus.Running.ToString());
            command.Parameters.AddWithValue("queued", JobStatus.Queued.ToString());
            command.Parameters.AddWithValue("owner", claim.Owner);
            command.Parameters.AddWithValue("expires", now + claim.Lease);
            command.Parameters.AddWithValue("token", token);
            command.Parameters.AddWithValue("now", now);
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct)) return null;
            return new JobClaim(reader.GetString(0), token, reader.GetInt32(1));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
