using Microsoft.EntityFrameworkCore;

namespace BackpropService.Persistence.Dialects;

/// <summary>
/// Everything that differs between the database engines, in one place: how a context is made and a connection set
/// up, how the database is prepared at start, how a worker claims a job, how replicas take a job's lock, and how the
/// engine's errors read. Picked once from <see cref="DatabaseSettings"/> (<see cref="DatabaseDialect.For"/>) and
/// registered by <c>AddPersistence</c>; nothing outside the dialects asks which engine it runs on.
/// </summary>
public interface IDatabaseDialect
{
    /// <summary>
    /// Builds the context options once and returns how to get a context on them: from a pool, so a request's or an
    /// attempt's context is a reset one, not a new one (see <see cref="BackpropDbContextFactory"/> for what it resets).
    /// </summary>
    Func<BackpropDbContext> ContextMaker(IServiceProvider services);

    /// <summary>
    /// Rows per statement for a bulk insert (<see cref="Bulk.BulkInsert"/>): where a statement costs a round trip, many;
    /// where binding many named parameters costs more than re-running one prepared statement (SQLite), one.
    /// </summary>
    int BulkInsertRowsPerStatement { get; }

    /// <summary>Prepares the database at start: applies the migrations and the engine's file settings.</summary>
    void Initialize(BackpropDbContext db);

    /// <summary>
    /// Claims up to <paramref name="count"/> jobs in one transaction, those that waited longest (expired leases first,
    /// then the oldest queued, <c>Id</c> breaking ties; a trial only while its sweep has room), for
    /// <paramref name="claim"/>'s owner, each with a new lease and attempt token; in that order, none when there is
    /// none to claim. The jobs are those <paramref name="count"/> claims of one job each would have taken.
    /// </summary>
    Task<IReadOnlyList<JobClaim>> ClaimJobsAsync(BackpropDbContext db, ClaimRequest claim, int count, CancellationToken ct);

    /// <summary><see cref="ClaimJobsAsync"/> of one job: the job, or null.</summary>
    async Task<JobClaim?> TryClaimJobAsync(BackpropDbContext db, ClaimRequest claim, CancellationToken ct) =>
        (await ClaimJobsAsync(db, claim, 1, ct)) is [var taken] ? taken : null;

    /// <summary>
    /// This process's turn to write, to be taken before a write transaction begins and passed on (disposed) as it ends:
    /// on SQLite the service's writers take turns in the process (<see cref="WriteTurns"/>, why there); null
    /// where the engine itself runs writers side by side (PostgreSQL). <see cref="BackpropDbContext.BeginWriteAsync"/>
    /// takes it for a context's transaction.
    /// </summary>
    Task<WriteTurn?> TakeWriteTurnAsync(CancellationToken ct);

    /// <summary>
    /// Begins an admission batch's transaction on <paramref name="connection"/>, serialised with every other admission
    /// (on every replica) until it ends, so the queue's counts it reads stay exact while it adds jobs.
    /// </summary>
    Task<System.Data.Common.DbTransaction> BeginAdmissionAsync(System.Data.Common.DbConnection connection, CancellationToken ct);

    /// <summary>
    /// A lock on <paramref name="jobId"/> that holds across replicas until disposed, or null where one replica is
    /// all there is (the in-process gate is then enough).
    /// </summary>
    Task<IAsyncDisposable?> LockJobAcrossReplicasAsync(IDbContextFactory<BackpropDbContext> dbs, string jobId, CancellationToken ct);

    /// <summary>
    /// The storage fault behind <paramref name="exception"/> (EF Core wraps it): the database busy, locked, full,
    /// failing or unreachable rather than the request or the code being wrong; null when it is not one.
    /// </summary>
    StorageFault? FindFault(Exception exception);

    /// <summary>Whether <paramref name="exception"/> (or one it wraps) is a unique-index or primary-key violation.</summary>
    bool IsUniqueViolation(Exception exception);

    /// <summary>
    /// Whether <paramref name="exception"/> (or one it wraps) is a foreign-key violation: a row deleted while another
    /// transaction added a job that refers to it, or a job added for a network or dataset deleted meanwhile.
    /// </summary>
    bool IsForeignKeyViolation(Exception exception);
}
