using BackpropService.Persistence.Dialects;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="BackpropDbContext"/> (scoped) and its factory (for the worker) on SQLite, with a busy
    /// timeout on every connection. The connection string is resolved when the first context is made, so
    /// configuration added late (a test host's overrides) is honoured.
    /// </summary>
    public static IServiceCollection AddPersistence(this IServiceCollection services, Func<IServiceProvider, string> connectionString, int busyTimeoutMilliseconds = 10_000) =>
        services.AddPersistence(provider => new DatabaseSettings(DatabaseProvider.Sqlite, connectionString(provider)), busyTimeoutMilliseconds);

    /// <summary>
    /// Registers the <see cref="IDatabaseDialect"/> for the engine the settings name, and <see cref="BackpropDbContext"/>
    /// (scoped) and its factory (for the worker) made through it. The settings are resolved when the dialect is
    /// first asked for (at the first context at the latest), so a test host's overrides are honoured.
    /// </summary>
    public static IServiceCollection AddPersistence(this IServiceCollection services, Func<IServiceProvider, DatabaseSettings> settings, int busyTimeoutMilliseconds = 10_000)
    {
        services.AddSingleton(provider => DatabaseDialect.For(settings(provider), busyTimeoutMilliseconds));
        services.AddSingleton<IDbContextFactory<BackpropDbContext>>(provider =>
            new BackpropDbContextFactory(provider, provider.GetRequiredService<IDatabaseDialect>()));
        services.AddScoped(provider => provider.GetRequiredService<IDbContextFactory<BackpropDbContext>>().CreateDbContext());
        return services;
    }

    /// <summary>The one place the database is prepared at start: migrations, then the engine's file settings.</summary>
    public static void InitializeDatabase(this IServiceProvider services)
    {
        using var scope = services.CreateScope();
        scope.ServiceProvider.GetRequiredService<IDatabaseDialect>().Initialize(scope.ServiceProvider.GetRequiredService<BackpropDbContext>());
    }
}
