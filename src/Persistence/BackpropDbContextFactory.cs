using Microsoft.EntityFrameworkCore;

namespace BackpropService.Persistence;

/// <summary>
/// Makes the service's contexts on the configured engine: a <see cref="BackpropDbContext"/> on SQLite (with a busy
/// timeout on every connection), a <see cref="PostgresBackpropDbContext"/> on PostgreSQL. Everything else asks for
/// <see cref="BackpropDbContext"/> and never needs to know which one it got.
/// </summary>
/// <remarks>
/// The settings are read when the first context is made, not at registration, so configuration added late (a test
/// host's overrides) is honoured. The options are built once: EF caches its internal services per options.
/// </remarks>
internal sealed class BackpropDbContextFactory(IServiceProvider services, Func<IServiceProvider, DatabaseSettings> settings, int busyTimeoutMilliseconds)
    : IDbContextFactory<BackpropDbContext>
{
    private readonly Lazy<Func<BackpropDbContext>> _create = new(() => Build(services, settings(services), busyTimeoutMilliseconds));

    public BackpropDbContext CreateDbContext() => _create.Value();

    private static Func<BackpropDbContext> Build(IServiceProvider services, DatabaseSettings settings, int busyTimeoutMilliseconds)
    {
        switch (settings.Provider)
        {
            case DatabaseProvider.Postgres:
                var postgres = new DbContextOptionsBuilder<PostgresBackpropDbContext>()
                    .UseApplicationServiceProvider(services)
                    .UseNpgsql(settings.ConnectionString)
                    .Options;
                return () => new PostgresBackpropDbContext(postgres);
            case DatabaseProvider.Sqlite:
                var sqlite = new DbContextOptionsBuilder<BackpropDbContext>()
                    .UseApplicationServiceProvider(services)
                    .UseSqlite(settings.ConnectionString)
                    .AddInterceptors(new BusyTimeoutInterceptor(busyTimeoutMilliseconds))
                    .Options;
                return () => new BackpropDbContext(sqlite);
            default:
                throw new ArgumentOutOfRangeException(nameof(settings), settings.Provider, "Unknown database provider.");
        }
    }
}
