using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>Registers <see cref="BackpropDbContext"/> on SQLite with a busy timeout on every connection.</summary>
    public static IServiceCollection AddPersistence(this IServiceCollection services, string connectionString, int busyTimeoutMilliseconds = 10_000)
    {
        services.AddDbContextFactory<BackpropDbContext>(options => options
            .UseSqlite(connectionString)
            .AddInterceptors(new BusyTimeoutInterceptor(busyTimeoutMilliseconds)));
        return services;
    }
}
