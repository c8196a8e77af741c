using System.Net;

namespace BackpropService.Api.Tests.Lifecycle;

/// <summary>With API keys on, another owner's ids are 404 to DELETE and nothing of theirs goes.</summary>
public sealed class DeleteOwnerTests
{
    [Fact]
    public async Task AnotherOwnersJobNetworkAndDatasetAre404AndStay()
    {
        await using var app = new BackpropApplication(settings: new Dictionary<string, string?>
        {
            ["Auth:ApiKeys:alice-key-0123"] = "alice",
            ["Auth:ApiKeys:bob-key-4567"] = "bob",
        });
        var alice = WithKey(app.CreateClient(), "alice-key-0123");
        var bob = WithKey(app.CreateClient(), "bob-key-4567");
        var (networkId, datasetId) = await alice.CreateXorAsync();
        var jobId = await alice.CreateJobAsync(networkId, datasetId, 10);
        await alice.WaitForStatusAsync(jobId, "succeeded");

        foreach (var url in new[] { $"/api/jobs/{jobId}", $"/api/networks/{networkId}", $"/api/datasets/{datasetId}" })
        {
            var (status, problem, _) = await bob.SendAsync(HttpMethod.Delete, url);
            Assert.True(status == HttpStatusCode.NotFound, $"bob DELETE {url} → {(int)status} {problem}");
            Assert.Contains("does not exist", problem!["detail"]!.GetValue<string>());
            Assert.Equal(HttpStatusCode.OK, (await alice.SendAsync(HttpMethod.Get, url)).Status);
        }
        Assert.Equal(10, (await alice.HistoryAsync(jobId)).Count);

        Assert.Equal(HttpStatusCode.NoContent, (await alice.SendAsync(HttpMethod.Delete, $"/api/networks/{networkId}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.SendAsync(HttpMethod.Get, $"/api/jobs/{jobId}")).Status);
    }

    private static HttpClient WithKey(HttpClient client, string key)
    {
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }
}
