using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Persistence.Tests;

/// <summary>The PostgreSQL context and the provider switch; none of this needs a server (nothing here connects).</summary>
public sealed class PostgresBackpropDbContextTests
{
    [Fact]
    public void PostgresMigrationsMatchTheModel()
    {
        using var db = new PostgresBackpropDbContext();
        Assert.True(db.Database.IsNpgsql());
        Assert.False(db.Database.HasPendingModelChanges(), "the model changed without a PostgreSQL migration (see PostgresBackpropDbContext's remarks)");
        Assert.Contains(db.Database.GetMigrations(), m => m.EndsWith("_InitialPostgres", StringComparison.Ordinal));
    }

    [Fact]
    public void EachContextSeesOnlyItsOwnMigrations()
    {
        using var postgres = new PostgresBackpropDbContext();
        using var sqlite = new BackpropDbContext(new DbContextOptionsBuilder<BackpropDbContext>().UseSqlite("Data Source=:memory:").Options);
        Assert.DoesNotContain(sqlite.Database.GetMigrations(), m => m.EndsWith("Postgres", StringComparison.Ordinal));
        Assert.Empty(postgres.Database.GetMigrations().Intersect(sqlite.Database.GetMigrations()));
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres, "Host=127.0.0.1;Database=unused", typeof(PostgresBackpropDbContext))]
    [InlineData(DatabaseProvider.Sqlite, "Data Source=unused.db", typeof(BackpropDbContext))]
    public void TheProviderSettingChoosesTheContextEverywhere(DatabaseProvider provider, string connectionString, Type expected)
    {
        using var services = new ServiceCollection()
            .AddPersistence(_ => new DatabaseSettings(provider, connectionString))
            .BuildServiceProvider();
        using var fromFactory = services.GetRequiredService<IDbContextFactory<BackpropDbContext>>().CreateDbContext();
        using var scope = services.CreateScope();
        var scoped = scope.ServiceProvider.GetRequiredService<BackpropDbContext>();
        Assert.Equal(expected, fromFactory.GetType());
        Assert.Equal(expected, scoped.GetType());
        Assert.Equal(provider == DatabaseProvider.Postgres, scoped.Database.IsNpgsql());
        Assert.Equal(connectionString, scoped.Database.GetConnectionString());
    }
}
