using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace BackpropService.Api.Tests;

/// <summary>
/// The service on a temporary SQLite file. A file, not :memory:, so a test can dispose the host and start a new
/// one on the same database (restart and resume). Timers are shortened so tests see flushes and checkpoints quickly.
/// </summary>
public sealed class BackpropApplication(string? databasePath = null, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    public string DatabasePath { get; } = databasePath ?? Path.Combine(Path.GetTempPath(), $"backprop-test-{Guid.NewGuid():N}.db");

    /// <summary>Training:InstanceName: one per database, so a restart on the same file is the same instance.</summary>
    public string InstanceName => "test-" + Path.GetFileNameWithoutExtension(DatabasePath);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration(config =>
        {
            var values = new Dictionary<string, string?>
            {
                ["ConnectionStrings:Default"] = $"Data Source={DatabasePath}",
                ["Training:FlushInterval"] = "00:00:00.050",
                ["Training:CheckpointInterval"] = "00:00:00.200",
                ["Training:PollInterval"] = "00:00:00.500",
                ["Training:InstanceName"] = InstanceName,
                ["Training:MaxConcurrentJobs"] = "2",
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) values[key] = value;
            config.AddInMemoryCollection(values);
        });
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
    }

    /// <summary>Deletes the database file and its WAL companions (only when the test is done with it).</summary>
    public static void DeleteDatabase(string path)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            try { File.Delete(file); } catch (IOException) { }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (databasePath is null) DeleteDatabase(DatabasePath);
    }
}
