using System.Text.Json;
using System.Text.RegularExpressions;

namespace BackpropService.Deployment.Tests;

/// <summary>
/// The scale profile's wiring, read statically: the replicas set exactly the settings the service reads
/// (src/Api/appsettings.json declares each one), and nginx spreads both replicas behind one port with WebSockets.
/// </summary>
public sealed partial class ScaleProfileTests
{
    private static string Compose => File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docker-compose.yml"));

    [Fact]
    public void ReplicasUsePostgresAndRedisThroughTheKeysTheServiceReads()
    {
        var replica = Compose[Compose.IndexOf("x-replica:", StringComparison.Ordinal)..Compose.IndexOf("services:", StringComparison.Ordinal)];
        var environment = EnvironmentLine().Matches(replica).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim('"'));

        Assert.Equal("postgres", environment["Database__Provider"]);
        Assert.StartsWith("Host=postgres;", environment["ConnectionStrings__Default"]);
        Assert.Equal("redis:6379", environment["ConnectionStrings__Redis"]);

        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "src/Api/appsettings.json")));
        foreach (var key in environment.Keys)
        {
            var node = settings.RootElement;
            foreach (var part in key.Split("__"))
                Assert.True(node.TryGetProperty(part, out node), $"compose sets {key}, but appsettings.json has no {key.Replace("__", ":")}");
        }
    }

    [Fact]
    public void BalancerSpreadsBothReplicasAndPassesWebSockets()
    {
        var nginx = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "deploy/nginx.conf"));
        Assert.Contains("server api-1:8080;", nginx);
        Assert.Contains("server api-2:8080;", nginx);
        // SignalR negotiates over HTTP, then opens its WebSocket: both must reach the same replica.
        Assert.Contains("ip_hash;", nginx);
        Assert.Contains("proxy_set_header Upgrade $http_upgrade;", nginx);
        Assert.Contains("\"${BACKPROP_SCALE_PORT:-8090}:80\"", Compose);
    }

    [GeneratedRegex(@"^\s+(\w+__\w+):\s*(.+?)\s*$", RegexOptions.Multiline)]
    private static partial Regex EnvironmentLine();
}
