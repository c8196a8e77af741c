using BackpropService.TestKit;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BackpropService.Reliability.Tests.Harness;
using Microsoft.AspNetCore.SignalR.Client;

namespace BackpropService.Reliability.Tests.Security;

/// <summary>
/// Keys configured only as SHA-256 hashes (Auth:ApiKeyHashes): the key itself authenticates on the API and the
/// hub, a wrong key or the hash itself does not, and plain keys (Auth:ApiKeys) keep working beside them.
/// </summary>
public sealed class ApiKeyAuthenticationTests
{
    private const string CarolKey = "carol-7c1e5f0a9d2b4e63", DaveKey = "dave-0123456789abcdef";

    private static string Sha256Hex(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static readonly Dictionary<string, string?> Settings = new()
    {
        // Upper case for carol, lower case for dave: both spellings of hex are accepted.
        ["Auth:ApiKeyHashes:" + Sha256Hex(CarolKey)] = "carol",
        ["Auth:ApiKeyHashes:" + Sha256Hex(DaveKey).ToLowerInvariant()] = "dave",
        ["Auth:ApiKeys:plain-key-for-erin-42"] = "erin",
    };

    [Fact]
    public async Task AHashedKeyAuthenticatesAndAWrongKeyOrTheHashItselfIs401()
    {
        await using var app = new InProcessService(Settings);
        var client = app.CreateClient();
        foreach (var key in new[] { CarolKey, DaveKey, "plain-key-for-erin-42" })
            using (var ok = await OwnerIsolationTests.SendAsync(client, "GET", "/api/networks", key, null))
                Assert.True(ok.StatusCode == HttpStatusCode.OK, $"key {key} → {(int)ok.StatusCode}");

        foreach (var key in new[] { "carol-7c1e5f0a9d2b4e64", Sha256Hex(CarolKey), "", CarolKey.ToUpperInvariant() })
        {
            using var refused = await OwnerIsolationTests.SendAsync(client, "GET", "/api/networks", key, null);
            Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"key '{key}' → {(int)refused.StatusCode}");
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
            Assert.Equal("ApiKey header=\"X-Api-Key\"", refused.Headers.WwwAuthenticate.Single().ToString());
        }
    }

    [Fact]
    public async Task OwnersOfHashedKeysAreIsolatedFromEachOther()
    {
        await using var app = new InProcessService(Settings);
        var client = app.CreateClient();
        using var created = await OwnerIsolationTests.SendAsync(client, "POST", "/api/networks", CarolKey, Workload.Network);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        using (var mine = await OwnerIsolationTests.SendAsync(client, "GET", $"/api/networks/{id}", CarolKey, null))
            Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        using (var theirs = await OwnerIsolationTests.SendAsync(client, "GET", $"/api/networks/{id}", DaveKey, null))
            Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
    }

    [Fact]
    public async Task TheHubTakesAHashedKeyAsItsAccessToken()
    {
        await using var app = new InProcessService(Settings);
        await using (var carol = await InMemoryHub.ConnectAsync(app.Server, CarolKey))
            Assert.Equal(HubConnectionState.Connected, carol.State);
        await Assert.ThrowsAnyAsync<Exception>(async () => await (await InMemoryHub.ConnectAsync(app.Server, "not-a-key")).DisposeAsync());
    }

    [Fact]
    public async Task WithoutKeysConfiguredEveryCallerIsLetIn()
    {
        await using var app = new InProcessService();
        using var response = await OwnerIsolationTests.SendAsync(app.CreateClient(), "GET", "/api/networks", "any-key-at-all", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

}
