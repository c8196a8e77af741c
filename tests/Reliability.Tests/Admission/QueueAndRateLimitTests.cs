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
        // Let through, then rejected as invalid.
        await AssertLimitedAfterBurstAsync(client, "/api/jobs", "{}", burst: 3, HttpStatusCode.BadRequest);

        const string evaluate = """{ "graph": { "nodes": [ { "id": "x", "op": "input" }, { "id": "f", "op": "square", "inputs": ["x"] } ], "output": "f" }, "inputs": { "x": 3 } }""";
        await AssertLimitedAfterBurstAsync(client, "/api/graphs/evaluate", evaluate, burst: 2, HttpStatusCode.OK);

        // Other endpoints are not limited.
        for (var i = 0; i < 20; i++)
            using (var list = await client.GetAsync("/api/jobs"))
                Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    /// <summary>
    /// Posts until the bucket answers 429: at least <paramref name="burst"/> requests pass first, and no more than the
    /// burst plus the one token a second refilled while they were sent (a slow machine may see a refill mid-burst).
    /// </summary>
    private static async Task AssertLimitedAfterBurstAsync(HttpClient client, string path, string body, int burst, HttpStatusCode passed)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var sent = 0; sent < burst + 100; sent++)
        {
            using var response = await PostAsync(client, path, body);
            if (response.StatusCode != HttpStatusCode.TooManyRequests)
            {
                Assert.Equal(passed, response.StatusCode);
                continue;
            }
            Assert.InRange(sent, burst, burst + (int)Math.Ceiling(clock.Elapsed.TotalSeconds));
            await AssertTooManyAsync(response, "RateLimits");
            return;
        }
        Assert.Fail($"{path}: no 429 after {burst + 100} requests");
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
