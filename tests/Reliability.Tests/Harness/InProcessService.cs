using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace BackpropService.Reliability.Tests.Harness;

/// <summary>
/// The service in this process on a temporary SQLite file (its own, or <paramref name="database"/>, which the caller
/// then disposes), for tests that reach inside (stores, races).
/// </summary>
public sealed class InProcessService(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, TempDatabase? database = null)
    : WebApplicationFactory<Program>
{
    private readonly TempDatabase _database = database ?? new();

    public TempDatabase Database => _database;

    /// <summary>Starts it on a loopback port (Kestrel, not the test server) for clients that need a real socket.</summary>
    public Uri Listen()
    {
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()
            ?? throw new InvalidOperationException("Kestrel did not report its address.");
        return new Uri(addresses.Addresses.First());
    }

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
        if (database is null) _database.Dispose();
    }
}
