using System.Net;
using System.Text;
using BackpropService.Api.Testing;
using BackpropService.Reliability.Tests.Harness;

namespace BackpropService.Reliability.Tests.Admission;

/// <summary>Queue limits and rate limits answer 429 with Retry-After and a problem body, never 503 or a silent drop.</summary>
public sealed class QueueAndRateLimitTests
{
    [Fact]
    public async Task PastTheQueuedJobsLimitSubmissionIsA429WithRetryAfter()
    {
        await using var app = new InProcessService(new Dictionary<string, string?>
        {
            ["Training:MaxConcurrentJobs"] = "1",
            ["Limits:MaxQueuedJobsPerOwner"] = "3",
        });
        // The running job is held (at an epoch the 10-epoch jobs never reach) until it is cancelled.
        using var hold = EpochHold.Arm(app.Database.InstanceName, 11);
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateNetworkAndDatasetAsync();
        var running = await client.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, 1_000), HttpStatusCode.Accepted);
        Assert.Equal(running, await hold.Reached.WaitAsync(TimeSpan.FromSeconds(30)));
        for (var i = 0; i < 3; i++)
            await client.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, 10), HttpStatusCode.Accepted);

        using var response = await PostAsync(client, "/api/jobs", Workload.Job(networkId, datasetId, 10));
        await AssertTooManyAsync(response, "Limits:MaxQueuedJobsPerOwner");

        // Room again once one leaves the queue.
        using (await PostAsync(client, $"/api/jobs/{running}/cancel", "")) { }
        await WaitForQueueBelowAsync(client, 3);
        await client.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, 10), HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task JobSubmissionAndEvaluationAreRateLimitedWith429AndRetryAfter()
    {
        await using var app = new InProcessService(new Dictionary<string, string?>
        {
            ["RateLimits:JobSubmissionBurst"] = "3",
            ["RateLimits:JobSubmissionsPerSecond"] = "1",
            ["RateLimits:EvaluateBurst"] = "2",
            ["RateLimits:EvaluationsPerSecond"] = "1",
        });
        var client = app.CreateClient();
        for (var i = 0; i < 3; i++)
            using (var accepted = await PostAsync(client, "/api/jobs", "{}"))
                Assert.Equal(HttpStatusCode.BadRequest, accepted.StatusCode); // let through, then rejected as invalid
        using (var limited = await PostAsync(client, "/api/jobs", "{}"))
            await AssertTooManyAsync(limited, "RateLimits");

        const string evaluate = """{ "graph": { "nodes": [ { "id": "x", "op": "input" }, { "id": "f", "op": "square", "inputs": ["x"] } ], "output": "f" }, "inputs": { "x": 3 } }""";
        for (var i = 0; i < 2; i++)
            using (var ok = await PostAsync(client, "/api/graphs/evaluate", evaluate))
                Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using (var limited = await PostAsync(client, "/api/graphs/evaluate", evaluate))
            await AssertTooManyAsync(limited, "RateLimits");

        // Other endpoints are not limited.
        for (var i = 0; i < 20; i++)
            using (var list = await client.GetAsync("/api/jobs"))
                Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    private static Task WaitForQueueBelowAsync(HttpClient client, int count) =>
        // The cancelled job left the running slot; the queued ones start one after another, making room.
        Wait.UntilAsync(async () => (await client.GetJsonAsync("/api/jobs?status=queued"))["items"]!.AsArray().Count < count,
            TimeSpan.FromSeconds(30), () => "the queue to drain");

    internal static async Task AssertTooManyAsync(HttpResponseMessage response, string mention)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.TooManyRequests, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "Retry-After in seconds");
        Assert.Contains(mention, body);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string url, string json) =>
        client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));
}
