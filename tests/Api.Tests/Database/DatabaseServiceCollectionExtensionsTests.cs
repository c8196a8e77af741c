using BackpropService.Api.Database;
using BackpropService.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests.Database;

public sealed class DatabaseServiceCollectionExtensionsTests
{
    [Fact]
    public void SqliteIsTheDefaultWithAFileBesideTheService()
    {
        Assert.Equal(DatabaseProvider.Sqlite, new DatabaseOptions().Provider);
        Assert.Equal(new DatabaseSettings(DatabaseProvider.Sqlite, "Data Source=backprop.db"), DatabaseServiceCollectionExtensions.Settings(DatabaseProvider.Sqlite, null));
    }

    [Fact]
    public void PostgresTakesTheDefaultConnectionString()
    {
        const string connection = "Host=postgres;Database=backprop;Username=backprop;Password=backprop";
        Assert.Equal(new DatabaseSettings(DatabaseProvider.Postgres, connection), DatabaseServiceCollectionExtensions.Settings(DatabaseProvider.Postgres, connection));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Data Source=backprop.db")]
    public void PostgresWithoutAPostgresConnectionStringSaysWhatToSet(string? connection)
    {
        var error = Assert.Throws<InvalidOperationException>(() => DatabaseServiceCollectionExtensions.Settings(DatabaseProvider.Postgres, connection));
        Assert.Contains("ConnectionStrings:Default", error.Message);
    }

    [Fact]
    public async Task TheTestHostRunsOnSqliteWhenNoProviderIsSet()
    {
        await using var app = new BackpropApplication();
        using var client = app.CreateClient();
        var health = await client.GetJsonAsync("/health");
        Assert.Equal("ok", health["database"]!.GetValue<string>());
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BackpropDbContext>();
        Assert.Equal(typeof(BackpropDbContext), db.GetType());
    }
}
