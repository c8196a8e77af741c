using System.Data.Common;
using BackpropService.Persistence.Entities;

namespace BackpropService.Persistence.Dialects;

/// <summary>
/// The claim's SQL, shared by both engines (quoted identifiers, named parameters): one seek that reads up to n
/// candidates in queue order (expired leases first, then the oldest queued, <c>Id</c> breaking ties, a full sweep's
/// trials left out), then one update per job taken. Run inside the dialect's transaction, which is what makes it safe:
/// SQLite's is a write transaction from its start (one writer at a time), PostgreSQL's holds the claim lock.
/// </summary>
/// <remarks>
/// NOTE: raw commands, not EF Core LINQ: building, caching and binding the LINQ claim cost ~1.5 ms a job, the
/// statements themselves tens of microseconds (docs/performance.md, the worker's cuts).
/// </remarks>
internal static class JobClaimStatements
{
    /// <summary>The seek; <paramref name="rowLock"/> is the engine's row-locking clause for the candidates (or empty).</summary>
    public static string Seek(string rowLock) => $$"""
        WITH expired AS (
            SELECT 0 AS "Rank", c."CreatedAt", c."Id", c."Attempts", c."StartedAt" IS NULL AS "FirstStart",
                CAST(NULL AS TEXT) AS "SweepId", CAST(NULL AS BIGINT) AS "Room"
            FROM "Jobs" AS c
            WHERE c."Status" = @running AND c."LeaseExpiresAt" < @now
            ORDER BY c."CreatedAt", c."Id"
            LIMIT @count {{rowLock}}),
        queued AS (
            SELECT 1 AS "Rank", c."CreatedAt", c."Id", c."Attempts", c."StartedAt" IS NULL AS "FirstStart", c."SweepId", {{SweepSlots.RoomSql}} AS "Room"
            FROM "Jobs" AS c
            WHERE c."Status" = @queued AND {{SweepSlots.HasRoomSql}}
            ORDER BY c."CreatedAt", c."Id"
            LIMIT @count {{rowLock}})
        SELECT "Id", "Attempts", "FirstStart", "SweepId", "Room", "Rank", "CreatedAt" FROM expired
        UNION ALL
        SELECT "Id", "Attempts", "FirstStart", "SweepId", "Room", "Rank", "CreatedAt" FROM queued
        ORDER BY "Rank", "CreatedAt", "Id"
        """;

    /// <summary>The update of one job taken: the new lease and attempt token.</summary>
    public const string Take = """
        UPDATE "Jobs" SET "Status" = @running, "LeaseOwner" = @owner, "LeaseExpiresAt" = @expires, "AttemptToken" = @token,
            "Attempts" = "Attempts" + 1, "StartedAt" = COALESCE("StartedAt", @now)
        WHERE "Id" = @id
        """;

    /// <summary>Whether the seek finds any job to claim now; read outside any transaction, it waits for no writer.</summary>
    public static async Task<bool> AnyClaimableAsync(DbConnection connection, string seek, ClaimRequest claim, CancellationToken ct)
    {
        await using var read = Command(connection, transaction: null, seek);
        AddSeekParameters(read, claim.Time.GetUtcNow().UtcDateTime, count: 1);
        await using var reader = await read.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct);
    }

    /// <summary>Reads the candidates of up to <paramref name="count"/> jobs and takes them (<see cref="ClaimCommands"/>, made for this claim alone).</summary>
    public static async Task<IReadOnlyList<JobClaim>> ClaimAsync(DbConnection connection, DbTransaction transaction, string seek, ClaimRequest claim, int count, CancellationToken ct)
    {
        using var commands = new ClaimCommands(connection, seek);
        return await commands.ClaimAsync(transaction, claim, count, ct);
    }

    internal static void AddSeekParameters(DbCommand read, DateTime now, int count)
    {
        Add(read, "@running", JobStatus.Running.ToString());
        Add(read, "@queued", JobStatus.Queued.ToString());
        Add(read, "@now", now);
        Add(read, "@count", count);
    }

    internal static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        (command.CommandText, command.Transaction) = (sql, transaction);
        return command;
    }

    internal static DbParameter Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        (parameter.ParameterName, parameter.Value) = (name, value);
        command.Parameters.Add(parameter);
        return parameter;
    }
}
