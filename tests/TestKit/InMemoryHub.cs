using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.TestHost;

namespace BackpropService.TestKit;

/// <summary>Hub connections to a service hosted in the test's own process (WebApplicationFactory's TestServer).</summary>
public static class InMemoryHub
{
    /// <summary>
    /// A started connection to <c>/hubs/training</c> over the TestServer's WebSockets (JSON unless
    /// <paramref name="configure"/> says otherwise), signed in with <paramref name="accessToken"/> when given; a start
    /// that takes longer than <see cref="HubCalls.Timeout"/> throws <see cref="TimeoutException"/>.
    /// </summary>
    public static async Task<HubConnection> ConnectAsync(TestServer server, string? accessToken = null, Action<IHubConnectionBuilder>? configure = null)
    {
        var url = new Uri(server.BaseAddress, "/hubs/training" + (accessToken is null ? "" : "?access_token=" + Uri.EscapeDataString(accessToken)));
        var builder = new HubConnectionBuilder()
            .WithUrl(url, options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
                options.HttpMessageHandlerFactory = _ => server.CreateHandler();
                options.WebSocketFactory = async (context, ct) => await server.CreateWebSocketClient().ConnectAsync(context.Uri, ct);
            });
        configure?.Invoke(builder);
        var connection = builder.Build();
        try
        {
            await connection.StartWithinAsync(HubCalls.Timeout, url.GetLeftPart(UriPartial.Path));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        return connection;
    }
}
