using BackpropService.Persistence.Dialects;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Persistence.Tests.Dialects;

/// <summary>The start-up fast path: a database with every shipped migration is not migrated again; any other is.</summary>
public sealed class MigrationHistoryTests
{
    private const string LockTableCount = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsLock'";

    [Fact]
    public void ANewDatabaseIsNotUpToDateAndAMigratedOneIs()
    {
        var path = Path.Combine(Path.GetTempPath(), $"backprop-history-{Guid.NewGuid():N}.db");
        try
        {
            using var services = new ServiceCollection().AddPersistence(_ => $"Data Source={path}").BuildServiceProvider();
            var dbs = services.GetRequiredService<IDbContextFactory<BackpropDbContext>>();
            using (var db = dbs.CreateDbContext()) Assert.False(MigrationHistory.IsUpToDate(db));
            services.InitializeDatabase();
            using (var db = dbs.CreateDbContext()) Assert.True(MigrationHistory.IsUpToDate(db));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" }) File.Delete(file);
        }
    }

    [Fact]
    public void AStartOnAnUpToDateDatabaseSkipsMigrateAndAMissingMigrationIsNoticed()
    {
        using var database = new TemporaryDatabase();
        // Migrate() takes its lock through this table: its absence after a start shows Migrate() did not run.
        Assert.Equal(1L, database.Scalar(LockTableCount));
        database.Scalar("DROP TABLE \"__EFMigrationsLock\"");

        using (var restart = new ServiceCollection().AddPersistence(_ => $"Data Source={database.Path}").BuildServiceProvider())
            restart.InitializeDatabase();

        Assert.Equal(0L, database.Scalar(LockTableCount));
        Assert.Equal("wal", database.Scalar("PRAGMA journal_mode;"));
        database.Scalar("DELETE FROM \"__EFMigrationsHistory\" WHERE \"MigrationId\" = (SELECT max(\"MigrationId\") FROM \"__EFMigrationsHistory\")");
        using var db = database.CreateContext();
        Assert.False(MigrationHistory.IsUpToDate(db));
    }
}
