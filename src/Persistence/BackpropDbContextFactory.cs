using BackpropService.Persistence.Dialects;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Persistence;

/// <summary>
/// Makes the service's contexts through the configured <see cref="IDatabaseDialect"/>: a <see cref="BackpropDbContext"/>
/// on SQLite, a <see cref="PostgresBackpropDbContext"/> on PostgreSQL. Everything else asks for
/// <see cref="BackpropDbContext"/> and never needs to know which one it got.
/// </summary>
/// <remarks>
/// The options are built once: EF caches its internal services per options. The contexts come from EF's pool
/// (<c>PooledDbContextFactory</c>): disposing one returns it, and EF resets what it owns (tracked entities, the
/// connection and transaction, the SavingChanges handlers) before handing it out again; a context's own state is
/// reset here, on every rent, so that no owner's filter outlives the request that set it (the worker's contexts
/// are unfiltered; a request's is filtered again by <c>OwnerScope</c> when API keys are on).
/// </remarks>
internal sealed class BackpropDbContextFactory(IServiceProvider services, IDatabaseDialect dialect) : IDbContextFactory<BackpropDbContext>
{
    private readonly Func<BackpropDbContext> _rent = dialect.ContextMaker(services);

    public BackpropDbContext CreateDbContext()
    {
        var db = _rent();
        db.OwnerFilter = null;
        db.Dialect = dialect;
        return db;
    }
}
