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
    /// Registers <see cref="BackpropDbContext"/> (scoped) and its factory (for the worker) on the engine the settings
    /// name (see <see cref="BackpropDbContextFactory"/>); the settings are resolved when the first context is made.
    /// </summary>
    public static IServiceCollection AddPersistence(this IServiceCollection services, Func<IServiceProvider, DatabaseSettings> settings, int busyTimeoutMilliseconds = 10_000)
    {
        services.AddSingleton<IDbContextFactory<BackpropDbContext>>(provider => new BackpropDbContextFactory(provider, settings, busyTimeoutMilliseconds));
        services.AddScoped(provider => provider.GetRequiredService<IDbContextFactory<BackpropDbContext>>().CreateDbContext());
        return services;
    }
}
