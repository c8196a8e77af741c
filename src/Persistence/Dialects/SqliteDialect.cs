using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace BackpropService.Persistence.Dialects;

/// <summary>SQLite: one file beside the service, one replica.</summary>
internal sealed class SqliteDialect(string connectionString, int busyTimeoutMilliseconds) : IDatabaseDialect, IDisposable
{
    // Result codes: https://sqlite.org/rescode.html (primary codes, and the extended ones for constraints).
    private const int Busy = 5, Locked = 6, IoError = 10, Full = 13, CantOpen = 14;
    private const int ConstraintPrimaryKey = 1555, ConstraintUnique = 2067, ConstraintForeignKey = 787, ConstraintTrigger = 1811;

    private readonly WriteTurns _turns = new(TimeSpan.FromMilliseconds(busyTimeoutMilliseconds));
    private readonly SqliteClaimConnection _claims = new(connectionString, busyTimeoutMilliseconds, ClaimSeek);

    public async Task<WriteTurn?> TakeWriteTurnAsync(CancellationToken ct) => await _turns.TakeAsync(ct);

    public Func<BackpropDbContext> ContextMaker(IServiceProvider services)
    {
        var options = new DbContextOptionsBuilder<BackpropDbContext>()
            .UseApplicationServiceProvider(services)
            .UseSqlite(connectionString)
            .AddInterceptors(new SqliteConnectionSetup(busyTimeoutMilliseconds))
            .SkipModelComparisonAtStart()
            .Options;
        return new PooledDbContextFactory<BackpropDbContext>(options).CreateDbContext;
    }

    // NOTE: SQLite looks each named parameter up by a linear search, so a statement of n parameters costs n² to bind:
    // 500 rows of 27 columns took seconds. One prepared row, run 10,000 times in the transaction, takes milliseconds.
    public int BulkInsertRowsPerStatement => 1;

    public void Initialize(BackpropDbContext db)
    {
        // NOTE: no model comparison here (MigrationChecks): a model changed without a migration fails the build's tests.
        if (!MigrationHistory.IsUpToDate(db)) db.Database.Migrate();
        // A new SQLite file starts in rollback-journal mode; WAL lets readers (GET /api/jobs) run beside the
        // worker's writes. The mode is stored in the file, so setting it once per start is enough.
        db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
    }

    private static readonly string ClaimSeek = JobClaimStatements.Seek(rowLock: "");

    private volatile bool _lastClaimFoundNone;

    /// <summary>
    /// The claim's seek and updates in one write transaction: SQLite runs one writer at a time, and this one takes the
    /// write lock at its start (<c>BEGIN IMMEDIATE</c>), so no other claim or write can come between what the seek read
    /// (a sweep's running trials included) and the updates. One commit for however many jobs it takes, in the write
    /// turn, on the claims' own connection (<see cref="SqliteClaimConnection"/>: prepared statements, no fsync of its own).
    /// </summary>
    /// <remarks>
    /// NOTE: after a claim that found nothing, the next one first reads whether anything is claimable (a plain read on
    /// <paramref name="db"/>'s connection, which waits for no writer) and takes the turn and the write lock only then:
    /// wake-ups of an idle worker (the poll, nudges) no longer contend with the service's writers. Figures:
    /// docs/performance.md (slots).
    /// </remarks>
    public async Task<IReadOnlyList<JobClaim>> ClaimJobsAsync(BackpropDbContext db, ClaimRequest claim, int count, CancellationToken ct)
    {
        if (_lastClaimFoundNone)
        {
            await db.Database.OpenConnectionAsync(ct);
            if (!await JobClaimStatements.AnyClaimableAsync(db.Database.GetDbConnection(), ClaimSeek, claim, ct)) return [];
        }
        await using var turn = await _turns.TakeAsync(ct);
        var claims = await _claims.ClaimAsync(claim, count, ct);
        _lastClaimFoundNone = claims.Count == 0;
        return claims;
    }

    // IsolationLevel.Serializable is BEGIN IMMEDIATE: the write lock from the start, so no other writer (the worker's
    // claim, another admission) commits between the batch's counts and its inserts.
    public async Task<System.Data.Common.DbTransaction> BeginAdmissionAsync(System.Data.Common.DbConnection connection, CancellationToken ct) =>
        await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, ct);

    /// <summary>Closes the claims' connection (the service provider disposes the dialect at shutdown).</summary>
    public void Dispose() => _claims.Dispose();

    public Task<IAsyncDisposable?> LockJobAcrossReplicasAsync(IDbContextFactory<BackpropDbContext> dbs, string jobId, CancellationToken ct) =>
        Task.FromResult<IAsyncDisposable?>(null);

    public StorageFault? FindFault(Exception exception)
    {
        foreach (var db in StorageFault.Chain(exception))
        {
            if (db is SqliteException sqlite && Reason(sqlite.SqliteErrorCode) is { } reason) return new StorageFault(db, reason);
            if (db.IsTransient) return new StorageFault(db, "the database is unavailable");
        }
        return null;
    }

    private static string? Reason(int code) => code switch
    {
        Full => "the database or disk is full",
        Busy or Locked => "the database is locked by another writer",
        IoError => "the database reported an I/O error",
        CantOpen => "the database file cannot be opened",
        _ => null,
    };

    public bool IsUniqueViolation(Exception exception) =>
        StorageFault.Chain(exception).Any(e => e is SqliteException { SqliteExtendedErrorCode: ConstraintUnique or ConstraintPrimaryKey });

    // NOTE: a child row without its parent is SQLITE_CONSTRAINT_FOREIGNKEY; deleting a parent that an ON DELETE RESTRICT
    // key still refers to is raised by SQLite's generated FK action trigger, SQLITE_CONSTRAINT_TRIGGER, with the same text.
    public bool IsForeignKeyViolation(Exception exception) =>
        StorageFault.Chain(exception).Any(e => e is SqliteException { SqliteExtendedErrorCode: ConstraintForeignKey }
            || (e is SqliteException { SqliteExtendedErrorCode: ConstraintTrigger } && e.Message.Contains("FOREIGN KEY", StringComparison.Ordinal)));
}
