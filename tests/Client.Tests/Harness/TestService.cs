using BackpropService.Api.Tests;
using Microsoft.AspNetCore.Http.Connections;

namespace BackpropService.Client.Tests.Harness;

/// <summary>The service in-process and a <see cref="BackpropClient"/> wired to it (HTTP and the hub over its in-memory server).</summary>
public sealed class TestService : IAsyncDisposable
{
    private TestService(BackpropApplication app) => App = app;

    public BackpropApplication App { get; }

    public static TestService Start(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var app = new BackpropApplication(settings: settings);
        _ = app.Server; // starts the host
        return new TestService(app);
    }

    /// <param name="apiKey">Sent as X-Api-Key.</param>
    /// <param name="inner">A handler between the client's retries and the server (fault injection); it is given the server's handler.</param>
    public BackpropClient Client(string? apiKey = null, Func<HttpMessageHandler, DelegatingHandler>? inner = null)
    {
        var server = App.Server;
        var options = new BackpropClientOptions
        {
            BaseAddress = server.BaseAddress,
            ApiKey = apiKey,
            RetryDelay = TimeSpan.FromMilliseconds(10),
            ConfigureHub = hub =>
            {
                hub.Transports = HttpTransportType.WebSockets;
                hub.SkipNegotiation = true;
                hub.HttpMessageHandlerFactory = _ => server.CreateHandler();
                hub.WebSocketFactory = async (context, ct) => await server.CreateWebSocketClient().ConnectAsync(context.Uri, ct);
            },
        };
        HttpMessageHandler handler = server.CreateHandler();
        if (inner is not null) handler = inner(handler);
        return new BackpropClient(options, handler);
    }

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
