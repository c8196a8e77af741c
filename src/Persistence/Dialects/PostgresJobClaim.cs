using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace BackpropService.Persistence.Dialects;

/// <summary>
/// The claim on PostgreSQL: lock the jobs that waited longest (expired leases first, then the oldest queued) with
/// <c>FOR UPDATE SKIP LOCKED</c> and write the new leases and attempt tokens on them (<see cref="JobClaimStatements"/>).
/// Replicas claiming at once skip each other's locked rows instead of queuing behind them, so each gets different jobs.
/// </summary>
/// <remarks>
/// NOTE: under READ COMMITTED, a row that another transaction changed before we locked it is checked against the
/// WHERE clause again once locked, so a job claimed (or renewed) a moment ago is never claimed twice.
/// A sweep's <c>maxConcurrent</c> (<see cref="SweepSlots"/>) counts the sweep's running trials, which row locks on the
/// candidates cannot protect: two replicas could each see one free slot and claim two different trials. So claims
/// take one transaction-scoped advisory lock first and run one at a time across replicas; each seek then sees
/// every claim committed before it. A claim is a few short statements, so they queue for milliseconds at most.
/// Both seeks are index scans on (Status, CreatedAt) (docs/performance.md, "The claim with a deep queue").
/// </remarks>
internal static class PostgresJobClaim
{
    // Any fixed 64-bit number no other advisory lock of ours uses (the migrator's, the job locks' hashes of ids).
    private const long ClaimLockKey = 0x636C61696D6A6F62; // "claimjob"

    private static readonly string Seek = JobClaimStatements.Seek(rowLock: "FOR UPDATE OF c SKIP LOCKED");

    public static async Task<IReadOnlyList<JobClaim>> ClaimAsync(BackpropDbContext db, ClaimRequest claim, int count, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var transaction = (NpgsqlTransaction)tx.GetDbTransaction();
        await using (var serialise = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({ClaimLockKey})", connection, transaction))
            await serialise.ExecuteNonQueryAsync(ct);
        var claims = await JobClaimStatements.ClaimAsync(connection, transaction, Seek, claim, count, ct);
        await tx.CommitAsync(ct);
        return claims;
    }
}
