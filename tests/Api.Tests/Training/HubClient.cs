using BackpropService.TestKit;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace BackpropService.Api.Tests.Training;

public static class HubClient
{
    /// <summary>A started hub connection through the in-memory TestServer over WebSockets (JSON unless <paramref name="configure"/> says otherwise).</summary>
    public static Task<HubConnection> ConnectAsync(WebApplicationFactory<Program> app, Action<IHubConnectionBuilder>? configure = null) =>
        InMemoryHub.ConnectAsync(app.Server, configure: configure);
}
