using BackpropService.Persistence.Dialects;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Persistence;

/// <summary>
/// Makes the service's contexts through the configured <see cref="IDatabaseDialect"/>: a <see cref="BackpropDbContext"/>
/// on SQLite, a <see cref="PostgresBackpropDbContext"/> on PostgreSQL. Everything else asks for
/// <see cref="BackpropDbContext"/> and never needs to know which one it got.
/// </summary>
/// <remarks>The options are built once: EF caches its internal services per options.</remarks>
internal sealed class BackpropDbContextFactory(IServiceProvider services, IDatabaseDialect dialect) : IDbContextFactory<BackpropDbContext>
{
    private readonly Func<BackpropDbContext> _create = dialect.ContextMaker(services);

    public BackpropDbContext CreateDbContext() => _create();
}
