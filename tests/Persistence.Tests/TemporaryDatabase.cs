using BackpropService.Persistence.Dialects;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Persistence.Tests;

/// <summary>A migrated database in a temporary file, made through AddPersistence as the service makes it.</summary>
public sealed class TemporaryDatabase : IDisposable
{
    private readonly ServiceProvider _services;

    /// <param name="busyTimeoutMilliseconds">How long a writer waits for another (the service's default unless given).</param>
    /// <param name="connectionOptions">More connection-string keywords, e.g. <c>Default Timeout=1</c> (seconds a command retries a busy database).</param>
    public TemporaryDatabase(int busyTimeoutMilliseconds = 10_000, string connectionOptions = "")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"backprop-persistence-{Guid.NewGuid():N}.db");
        _services = new ServiceCollection().AddPersistence(_ => $"Data Source={Path};{connectionOptions}", busyTimeoutMilliseconds).BuildServiceProvider();
        _services.InitializeDatabase();
    }

    public string Path { get; }

    public IDatabaseDialect Dialect => _services.GetRequiredService<IDatabaseDialect>();

    public IDbContextFactory<BackpropDbContext> Factory => _services.GetRequiredService<IDbContextFactory<BackpropDbContext>>();

    public BackpropDbContext CreateContext() => Factory.CreateDbContext();

    public object? Scalar(string sql)
    {
        using var db = CreateContext();
        var connection = db.Database.GetDbConnection();
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public void Dispose()
    {
        _services.Dispose();
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { Path, Path + "-wal", Path + "-shm" })
            try { File.Delete(file); } catch (IOException) { }
    }
}
