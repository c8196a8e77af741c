using System.Data.Common;
using BackpropService.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BackpropService.Reliability.Tests.Harness;

/// <summary>
/// Real SQLite failures on demand: a short busy timeout (so a lock held by the test makes writes fail with
/// SQLITE_BUSY quickly) and, when <see cref="DiskFull"/> is set, <c>PRAGMA max_page_count</c> pinned to the current
/// size, so SQLite itself answers SQLITE_FULL "database or disk is full" to anything that needs a new page.
/// </summary>
public sealed class StorageFaultInjector(int busyTimeoutMilliseconds = 200) : DbConnectionInterceptor
{
    private volatile bool _diskFull;

    public bool DiskFull { get => _diskFull; set => _diskFull = value; }

    /// <summary>Replaces the service's context factory by one on the same SQLite file with this interceptor last.</summary>
    public void AddTo(IServiceCollection services)
    {
        services.RemoveAll<IDbContextFactory<BackpropDbContext>>();
        services.AddSingleton<IDbContextFactory<BackpropDbContext>>(provider =>
            new Factory(new DbContextOptionsBuilder<BackpropDbContext>()
                // Default Timeout: Microsoft.Data.Sqlite's own retry of a busy statement (30 s by default), kept short too.
                .UseSqlite(provider.GetRequiredService<IConfiguration>().GetConnectionString("Default") + ";Default Timeout=1")
                .AddInterceptors(this)
                .Options));
    }

    private sealed class Factory(DbContextOptions<BackpropDbContext> options) : IDbContextFactory<BackpropDbContext>
    {
        public BackpropDbContext CreateDbContext() => new(options);
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout = {busyTimeoutMilliseconds};";
        command.ExecuteNonQuery();
        var pages = 1073741823L;
        if (DiskFull)
        {
            command.CommandText = "PRAGMA page_count;";
            pages = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
        command.CommandText = $"PRAGMA max_page_count = {pages};";
        command.ExecuteNonQuery();
    }
}
