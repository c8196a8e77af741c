using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.BrowserTests;

/// <summary>
/// The real service on a real loopback port (a browser cannot reach the in-memory test server), with a fresh
/// temporary SQLite database. Shared by the browser tests of one collection; each test starts its own jobs.
/// </summary>
public sealed class PageServer : IAsyncLifetime
{
    private readonly IReadOnlyDictionary<string, string>? _settings;

    /// <summary>The collection fixture: the service as a local user runs it (no API keys).</summary>
    public PageServer() { }

    /// <summary>A server with extra configuration (e.g. API keys), for a test that starts and disposes it itself.</summary>
    /// <remarks>Internal: xUnit wants a collection fixture to have a single public constructor.</remarks>
    internal PageServer(IReadOnlyDictionary<string, string> settings) => _settings = settings;

    private readonly string _directory = Directory.CreateTempSubdirectory("backprop-browser-").FullName;
    private WebApplicationFactory<Program>? _factory;

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    public Task InitializeAsync()
    {
        _factory = new WebApplicationFactory<Program>()
            .WithWebHostBuilder(b => b
                .UseSetting("ConnectionStrings:Default", $"Data Source={Path.Combine(_directory, "backprop.db")}")
                // The service's per-job information logs would drown the test output; warnings and errors still show.
                .UseSetting("Logging:LogLevel:Default", "Warning")
                .ConfigureAppConfiguration(config => config.AddInMemoryCollection(_settings?.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)) ?? [])));
        _factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()
            ?? throw new InvalidOperationException("Kestrel did not report its address.");
        var address = addresses.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        Api = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Api?.Dispose();
        if (_factory is not null)
            await _factory.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // NOTE: SQLite may still hold the file for a moment after the host stops; a temp folder left behind is harmless.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PageCollection : ICollectionFixture<PageServer>
{
    public const string Name = "page";
}
