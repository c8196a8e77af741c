using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace BackpropService.Reliability.Tests.Harness;

/// <summary>The service in this process on a temporary SQLite file, for tests that reach inside (stores, races).</summary>
public sealed class InProcessService(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    private readonly TempDatabase _database = new();

    public TempDatabase Database => _database;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration(config =>
        {
            var values = new Dictionary<string, string?>
            {
                ["ConnectionStrings:Default"] = $"Data Source={_database.Path}",
                ["Training:FlushInterval"] = "00:00:00.050",
                ["Training:CheckpointInterval"] = "00:00:00.200",
                ["Training:PollInterval"] = "00:00:00.250",
                ["Training:InstanceName"] = _database.InstanceName,
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) values[key] = value;
            config.AddInMemoryCollection(values);
        });
        if (services is not null) builder.ConfigureTestServices(services);
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _database.Dispose();
    }
}
