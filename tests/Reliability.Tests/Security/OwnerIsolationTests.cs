using BackpropService.TestKit;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BackpropService.Reliability.Tests.Harness;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Reliability.Tests.Security;

/// <summary>
/// With API keys on, every /api route and the hub need a key, and each owner's networks, datasets and jobs are
/// invisible (404) to every other owner on every route, including SignalR Subscribe.
/// </summary>
public sealed class OwnerIsolationTests
{
    private const string Alice = "key-alice-0123456789", Bob = "key-bob-9876543210";

    private static readonly Dictionary<string, string?> Keys = new()
    {
        ["Auth:ApiKeys:" + Alice] = "alice",
        ["Auth:ApiKeys:" + Bob] = "bob",
    };

    /// <summary>Every /api route, as "METHOD pattern"; the test fails when a route is added without being listed here.</summary>
    private static readonly string[] Routes =
    [
        "POST /api/networks", "GET /api/networks", "GET /api/networks/{id}",
        "POST /api/datasets", "GET /api/datasets", "GET /api/datasets/{id}", "GET /api/datasets/{id}/rows",
        "POST /api/jobs", "GET /api/jobs", "GET /api/jobs/{id}", "PATCH /api/jobs/{id}", "GET /api/jobs/{id}/history", "GET /api/jobs/{id}/weights",
        "POST /api/jobs/{id}/cancel", "POST /api/jobs/{id}/predict", "POST /api/jobs/{id}/explain", "GET /api/jobs/{id}/graph", "GET /api/jobs/{id}/model.onnx",
        "POST /api/graphs/evaluate",
        "POST /api/sweeps", "GET /api/sweeps", "GET /api/sweeps/{id}", "GET /api/sweeps/{id}/trials", "POST /api/sweeps/{id}/cancel",
        "DELETE /api/networks/{id}", "DELETE /api/datasets/{id}", "DELETE /api/jobs/{id}",
    ];

    [Fact]
    public async Task EveryApiRouteIsCoveredByTheseTests()
    {
        await using var app = new InProcessService(Keys);
        var actual = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')}"))
            .Order().ToList();
        Assert.Equal(Routes.Order(), actual);
    }

    [Fact]
    public async Task WithoutAValidKeyEveryApiRouteIs401AndThePageAndHealthStayOpen()
    {
        await using var app = new InProcessService(Keys);
        var client = app.CreateClient();
        foreach (var key in new string?[] { null, "wrong-key" })
        {
            foreach (var route in Routes)
            {
                var (method, url) = Split(route, "00000000-0000-0000-0000-000000000000");
                using var response = await SendAsync(client, method, url, key, method == "POST" ? "{}" : null);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{route} with key {key ?? "(none)"} → {(int)response.StatusCode}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
                Assert.Contains("X-Api-Key", await response.Content.ReadAsStringAsync());
            }
        }
        using (var health = await client.GetAsync("/health")) Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using (var page = await client.GetAsync("/")) Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task AnOwnersNetworksDatasetsAndJobsAreInvisibleToOtherOwnersOnEveryRouteAndTheHub()
    {
        await using var app = new InProcessService(Keys);
        var client = app.CreateClient();
        var network = await CreateAsync(client, Alice, "/api/networks", Workload.Network);
        var dataset = await CreateAsync(client, Alice, "/api/datasets", Workload.Dataset);
        var job = await CreateAsync(client, Alice, "/api/jobs", Workload.Job(network, dataset, 20));
        await WaitSucceededAsync(client, job);
        var sweep = await CreateAsync(client, Alice, "/api/sweeps",
            $$"""{ "base": { "networkId": "{{network}}", "datasetId": "{{dataset}}", "epochs": 5, "learningRate": 0.5 }, "grid": { "seed": [1, 2] } }""");
        var ids = new Dictionary<string, string> { ["networks"] = network, ["datasets"] = dataset, ["jobs"] = job, ["sweeps"] = sweep };

        // DELETE last (below): alice's own delete would take the ids away from the routes after it.
        foreach (var route in Routes.Where(r => r.Contains("{id}", StringComparison.Ordinal) && !r.StartsWith("DELETE", StringComparison.Ordinal)))
        {
            var (method, url) = Split(route, ids[route.Split('/')[2]]);
            var body = route.EndsWith("predict", StringComparison.Ordinal) || route.EndsWith("explain", StringComparison.Ordinal)
                ? """{ "inputs": [[0.5, 0.5]] }""" : method is "POST" or "PATCH" ? "{}" : null;
            using (var mine = await SendAsync(client, method, url, Alice, body))
                Assert.True(mine.IsSuccessStatusCode || route.EndsWith("cancel", StringComparison.Ordinal), $"alice {route} → {(int)mine.StatusCode}");
            using var theirs = await SendAsync(client, method, url, Bob, body);
            Assert.True(theirs.StatusCode == HttpStatusCode.NotFound, $"bob {route} → {(int)theirs.StatusCode}: {await theirs.Content.ReadAsStringAsync()}");
            Assert.Equal("application/problem+json", theirs.Content.Headers.ContentType!.MediaType);
        }
        using (var row = await SendAsync(client, "GET", $"/api/jobs/{job}/graph?row=0", Bob, null))
            Assert.Equal(HttpStatusCode.NotFound, row.StatusCode);

        // Lists hold only the caller's own.
        foreach (var list in new[] { "networks", "datasets", "jobs", "sweeps" })
        {
            Assert.Contains(ids[list], await ListIdsAsync(client, $"/api/{list}", Alice));
            Assert.DoesNotContain(ids[list], await ListIdsAsync(client, $"/api/{list}", Bob));
        }

        // Another owner cannot train on alice's network or dataset, nor reuse them by id.
        using (var steal = await SendAsync(client, "POST", "/api/jobs", Bob, Workload.Job(network, dataset, 5)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, steal.StatusCode);
            var problem = JsonNode.Parse(await steal.Content.ReadAsStringAsync())!;
            Assert.Contains("does not exist", problem["errors"]!["networkId"]![0]!.GetValue<string>());
        }

        // Bob's own things work, and alice cannot see them either.
        var bobsNetwork = await CreateAsync(client, Bob, "/api/networks", Workload.Network);
        using (var hidden = await SendAsync(client, "GET", $"/api/networks/{bobsNetwork}", Alice, null))
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);

        // The hub: a key is needed to connect, and Subscribe to another owner's job is "does not exist".
        await Assert.ThrowsAnyAsync<Exception>(async () => await (await InMemoryHub.ConnectAsync(app.Server, null)).DisposeAsync());
        await using (var bob = await InMemoryHub.ConnectAsync(app.Server, Bob))
        {
            var error = await Assert.ThrowsAsync<HubException>(() => bob.InvokeWithinAsync<JsonElement>("Subscribe", job, HubCalls.Timeout));
            Assert.Contains("does not exist", error.Message);
        }
        await using (var alice = await InMemoryHub.ConnectAsync(app.Server, Alice))
        {
            var subscribed = await alice.InvokeWithinAsync<JsonElement>("Subscribe", job, HubCalls.Timeout);
            Assert.Equal("succeeded", subscribed.GetProperty("status").GetString());
        }

        // Bob's DELETE of alice's ids is a 404 and deletes nothing; alice's own goes.
        foreach (var route in Routes.Where(r => r.StartsWith("DELETE", StringComparison.Ordinal)))
        {
            var (method, url) = Split(route, ids[route.Split('/')[2]]);
            using (var theirs = await SendAsync(client, method, url, Bob, null))
                Assert.True(theirs.StatusCode == HttpStatusCode.NotFound, $"bob {route} → {(int)theirs.StatusCode}");
            using var still = await SendAsync(client, "GET", url, Alice, null);
            Assert.True(still.StatusCode == HttpStatusCode.OK, $"after bob {route}, alice GET {url} → {(int)still.StatusCode}");
        }
        using (var deleted = await SendAsync(client, "DELETE", $"/api/jobs/{job}", Alice, null))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }


    private static (string Method, string Url) Split(string route, string id)
    {
        var parts = route.Split(' ');
        return (parts[0], parts[1].Replace("{id}", id, StringComparison.Ordinal));
    }

    internal static async Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string url, string? key, string? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        return await client.SendAsync(request);
    }

    private static async Task<string> CreateAsync(HttpClient client, string key, string url, string body)
    {
        using var response = await SendAsync(client, "POST", url, key, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {url} → {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["id"]!.GetValue<string>();
    }

    private static async Task<List<string>> ListIdsAsync(HttpClient client, string url, string key)
    {
        using var response = await SendAsync(client, "GET", url, key, null);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var items = body is JsonArray array ? array : body["items"]!.AsArray();
        return items.Select(i => i!["id"]!.GetValue<string>()).ToList();
    }

    private static Task WaitSucceededAsync(HttpClient client, string job) =>
        Wait.UntilAsync(async () =>
        {
            using var response = await SendAsync(client, "GET", $"/api/jobs/{job}", Alice, null);
            var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]!.GetValue<string>();
            Assert.True(status is "queued" or "running" or "succeeded", $"job {job} is {status}");
            return status == "succeeded";
        }, TimeSpan.FromSeconds(60), () => $"job {job} succeeded");
}
