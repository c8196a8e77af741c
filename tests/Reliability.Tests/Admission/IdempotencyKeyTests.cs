using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BackpropService.Reliability.Tests.Harness;

namespace BackpropService.Reliability.Tests.Admission;

/// <summary>POST /api/jobs with an Idempotency-Key: a retry gets the same job; a reused key with another body is refused.</summary>
public sealed class IdempotencyKeyTests
{
    [Fact]
    public async Task TheSameKeyAndBodyGiveTheSameJobAndADifferentBodyIsA422()
    {
        await using var app = new InProcessService(new Dictionary<string, string?> { ["Training:MaxConcurrentJobs"] = "1" });
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateNetworkAndDatasetAsync();
        var body = Workload.Job(networkId, datasetId, 50);

        var (status, first, _) = await PostAsync(client, body, "retry-me-1");
        Assert.Equal(HttpStatusCode.Accepted, status);
        // Same request, laid out differently: still the same request.
        var (again, second, response) = await PostAsync(client, body.Replace("\n", " ").Replace("  ", " "), "retry-me-1");
        Assert.Equal(HttpStatusCode.Accepted, again);
        Assert.Equal(first["id"]!.GetValue<string>(), second["id"]!.GetValue<string>());
        Assert.Equal("true", response.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal($"/api/jobs/{first["id"]}", response.Headers.Location!.OriginalString);

        var (conflict, problem, conflictResponse) = await PostAsync(client, Workload.Job(networkId, datasetId, 51), "retry-me-1");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, conflict);
        Assert.Equal("application/problem+json", conflictResponse.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Idempotency-Key", problem["detail"]!.GetValue<string>());

        // Without a key, or with another key, the same body makes a new job.
        var (_, other, _) = await PostAsync(client, body, "another-key");
        Assert.NotEqual(first["id"]!.GetValue<string>(), other["id"]!.GetValue<string>());
        Assert.Equal(2, (await client.GetJsonAsync("/api/jobs"))["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task ConcurrentRequestsWithOneKeyMakeOneJob()
    {
        await using var app = new InProcessService();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateNetworkAndDatasetAsync();
        var body = Workload.Job(networkId, datasetId, 20);
        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => PostAsync(client, body, "one-job-only")));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a.Status));
        Assert.Single(answers.Select(a => a.Body["id"]!.GetValue<string>()).Distinct());
        Assert.Single((await client.GetJsonAsync("/api/jobs"))["items"]!.AsArray());
    }

    [Theory]
    [InlineData("tab\there")]
    [InlineData("has space")]
    [InlineData("ключ")]
    public async Task AnUnusableKeyIsA400(string key)
    {
        await using var app = new InProcessService();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateNetworkAndDatasetAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = new StringContent(Workload.Job(networkId, datasetId, 5), Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task ALongKeyIsA400()
    {
        await using var app = new InProcessService();
        var client = app.CreateClient();
        var (status, _, _) = await PostAsync(client, "{}", new string('k', 201));
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    internal static async Task<(HttpStatusCode Status, JsonNode Body, HttpResponseMessage Response)> PostAsync(HttpClient client, string body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", key);
        var response = await client.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!, response);
    }
}
