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
/// A sweep's <c>maxConcurrent</c> (<see cref="SweepSlots"/>) counts the sweep's running trials, which row locks on the
/// candidates cannot protect: two replicas could each see one free slot and claim two different trials. So claims
/// take one transaction-scoped advisory lock first and run one at a time across replicas; each statement then sees
/// every claim committed before it. A claim is one short statement, so they queue for milliseconds at most.
/// </remarks>
internal static class PostgresJobClaim
{
    // Any fixed 64-bit number no other advisory lock of ours uses (the migrator's, the job locks' hashes of ids).
    private const long ClaimLockKey = 0x636C61696D6A6F62; // "claimjob"

    // Two index seeks on (Status, CreatedAt), as on SQLite: the expired leases, then (only when none) the queued jobs.
    // One subquery ordered by "expired lease first" (a CASE) could use no index: it read and sorted every queued job
    // on every claim (docs/performance.md, "The claim with a deep queue"). The queued seek runs only when the first
    // found nothing (a one-time filter), so it locks no row it does not claim.
    private static readonly string Sql = $$"""
        WITH expired AS (
            SELECT c."Id", c."StartedAt" FROM "Jobs" AS c
            WHERE c."Status" = @running AND c."LeaseExpiresAt" < @now
            ORDER BY c."CreatedAt", c."Id"
            LIMIT 1
            FOR UPDATE SKIP LOCKED),
        queued AS (
            SELECT c."Id", c."StartedAt" FROM "Jobs" AS c
            WHERE NOT EXISTS (SELECT 1 FROM expired) AND c."Status" = @queued AND {{SweepSlots.PostgresHasRoom}}
            ORDER BY c."CreatedAt", c."Id"
            LIMIT 1
            FOR UPDATE SKIP LOCKED),
        pick AS (SELECT * FROM expired UNION ALL SELECT * FROM queued)
        UPDATE "Jobs" AS j
        SET "Status" = @running, "LeaseOwner" = @owner, "LeaseExpiresAt" = @expires, "AttemptToken" = @token,
            "Attempts" = j."Attempts" + 1, "StartedAt" = COALESCE(j."StartedAt", @now)
        FROM pick
        WHERE j."Id" = pick."Id"
        RETURNING j."Id", j."Attempts", pick."StartedAt" IS NULL
        """;

    public static async Task<JobClaim?> TryClaimAsync(BackpropDbContext db, ClaimRequest claim, CancellationToken ct)
    {
        var now = claim.Time.GetUtcNow().UtcDateTime;
        var token = Guid.NewGuid().ToString("N");
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            await using (var serialise = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({ClaimLockKey})", connection, tx))
                await serialise.ExecuteNonQueryAsync(ct);
            await using var command = new NpgsqlCommand(Sql, connection, tx);
            command.Parameters.AddWithValue("running", JobStatus.Running.ToString());
            command.Parameters.AddWithValue("queued", JobStatus.Queued.ToString());
            command.Parameters.AddWithValue("owner", claim.Owner);
            command.Parameters.AddWithValue("expires", now + claim.Lease);
            command.Parameters.AddWithValue("token", token);
            command.Parameters.AddWithValue("now", now);
            JobClaim? claimed = null;
            await using (var reader = await command.ExecuteReaderAsync(ct))
                if (await reader.ReadAsync(ct)) claimed = new JobClaim(reader.GetString(0), token, reader.GetInt32(1), FirstStart: reader.GetBoolean(2));
            await tx.CommitAsync(ct);
            return claimed;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
