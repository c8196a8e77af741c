using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace BackpropService.Persistence.Dialects;

/// <summary>
/// The cross-replica half of the API's job stream gate: a transaction-scoped advisory lock on the job id, held on a
/// connection of its own until disposed. A history flush (persist, then publish through the backplane) and a hub
/// <c>Subscribe</c> (join the group, read <c>epochsCompleted</c>) on different replicas therefore never interleave,
/// just as the in-process gate orders them on one replica.
/// </summary>
/// <remarks>
/// NOTE: the lock orders the publish before the join, not Redis's delivery: a newcomer on a replica where another
/// connection already watches the job may be sent an epoch ≤ k once (docs/reliability.md, known limits).
/// </remarks>
internal static class PostgresJobLock
{
    public static async Task<IAsyncDisposable?> AcquireAsync(IDbContextFactory<BackpropDbContext> dbs, string jobId, CancellationToken ct)
    {
        var db = await dbs.CreateDbContextAsync(ct);
        try
        {
            var tx = await db.Database.BeginTransactionAsync(ct);
            // hashtextextended: a 64-bit key from the id; a collision only makes two jobs wait for each other briefly.
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({jobId}, 0))", ct);
            return new Held(db, tx);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    private sealed class Held(BackpropDbContext db, IDbContextTransaction tx) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try { await tx.CommitAsync(); }
            finally
            {
                await tx.DisposeAsync();
                await db.DisposeAsync();
            }
        }
    }
}
