using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace BackpropService.Api.Tests.Training;

public static class HubClient
{
    /// <summary>A started hub connection through the in-memory TestServer over WebSockets (JSON unless <paramref name="configure"/> says otherwise).</summary>
    public static async Task<HubConnection> ConnectAsync(BackpropApplication app, Action<IHubConnectionBuilder>? configure = null)
    {
        var server = app.Server;
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, "/hubs/training"), options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
                options.HttpMessageHandlerFactory = _ => server.CreateHandler();
                options.WebSocketFactory = async (context, ct) => await server.CreateWebSocketClient().ConnectAsync(context.Uri, ct);
            });
        configure?.Invoke(builder);
        var connection = builder.Build();
        await connection.StartAsync();
        return connection;
    }
}
