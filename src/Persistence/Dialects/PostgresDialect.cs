using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;

namespace BackpropService.Persistence.Dialects;

/// <summary>PostgreSQL: a shared server, several replicas (scale-out).</summary>
internal sealed class PostgresDialect(string connectionString) : IDatabaseDialect
{
    public Func<BackpropDbContext> ContextMaker(IServiceProvider services)
    {
        var options = new DbContextOptionsBuilder<PostgresBackpropDbContext>()
            .UseApplicationServiceProvider(services)
            .UseNpgsql(connectionString)
            .SkipModelComparisonAtStart()
            .Options;
        return new PooledDbContextFactory<PostgresBackpropDbContext>(options).CreateDbContext;
    }

    // A statement is a round trip to the server: many rows each (27 columns × 500 rows, under the 65,535 parameters a statement may bind).
    public int BulkInsertRowsPerStatement => 500;

    public void Initialize(BackpropDbContext db) => PostgresMigrator.Migrate(db);

    public Task<WriteTurn?> TakeWriteTurnAsync(CancellationToken ct) => Task.FromResult<WriteTurn?>(null);

    public Task<IReadOnlyList<JobClaim>> ClaimJobsAsync(BackpropDbContext db, ClaimRequest claim, int count, CancellationToken ct) =>
        PostgresJobClaim.ClaimAsync(db, claim, count, ct);

    // READ COMMITTED with a transaction-scoped advisory lock: admissions on all replicas take turns, and each statement
    // after the lock sees every admission committed before it. Claims and cancels only shrink the counts meanwhile.
    public async Task<System.Data.Common.DbTransaction> BeginAdmissionAsync(System.Data.Common.DbConnection connection, CancellationToken ct)
    {
        var transaction = await connection.BeginTransactionAsync(ct);
        try
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT pg_advisory_xact_lock(hashtextextended('backprop:admission', 0))";
            await command.ExecuteNonQueryAsync(ct);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    public Task<IAsyncDisposable?> LockJobAcrossReplicasAsync(IDbContextFactory<BackpropDbContext> dbs, string jobId, CancellationToken ct) =>
        PostgresJobLock.AcquireAsync(dbs, jobId, ct);

    public StorageFault? FindFault(Exception exception)
    {
        foreach (var db in StorageFault.Chain(exception))
        {
            // Classes 53 (insufficient resources: disk full, out of memory) and 08 (connection exception):
            // https://www.postgresql.org/docs/current/errcodes-appendix.html
            var state = db.SqlState;
            if (state == PostgresErrorCodes.DiskFull) return new StorageFault(db, "the database disk is full");
            if (state is { Length: 5 } && state.StartsWith("53", StringComparison.Ordinal)) return new StorageFault(db, "the database is out of resources");
            if (db.IsTransient || (state is { Length: 5 } && state.StartsWith("08", StringComparison.Ordinal)))
                return new StorageFault(db, "the database is unavailable");
        }
        return null;
    }

    public bool IsUniqueViolation(Exception exception) =>
        StorageFault.Chain(exception).Any(e => e.SqlState == PostgresErrorCodes.UniqueViolation);

    public bool IsForeignKeyViolation(Exception exception) =>
        StorageFault.Chain(exception).Any(e => e.SqlState == PostgresErrorCodes.ForeignKeyViolation);
}
