using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BackpropService.Api.Jobs.Admission;
using BackpropService.Api.Testing;
using BackpropService.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests.Jobs.Admission;

/// <summary>
/// Concurrent POST /api/jobs stored as one batch (one transaction): each request is judged on its own, in order,
/// as if it had come alone. The writer is held until the batch has gathered, so the requests share a transaction.
/// </summary>
public sealed class JobAdmissionsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ABatchFillsTheQueueToItsLimitAndTheRestGet429WhileTheAdmittedShowPositionsOneByOne()
    {
        await using var app = new BackpropApplication(settings: new Dictionary<string, string?>
        {
            ["Training:MaxConcurrentJobs"] = "1",
            ["Limits:MaxQueuedJobsPerOwner"] = "3",
        });
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        using var epochs = EpochHold.Arm(app.InstanceName, 2);
        var running = await client.CreateJobAsync(networkId, datasetId, 50);
        Assert.Equal(running, await epochs.Reached.WaitAsync(Timeout));

        using var batch = app.Services.GetRequiredService<JobAdmissions>().HoldUntil(5);
        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(seed => PostAsync(client, Job(networkId, datasetId, seed))));
        Assert.Equal(5, await batch.Stored.WaitAsync(Timeout));

        var admitted = answers.Where(a => a.Status == HttpStatusCode.Accepted).ToList();
        Assert.Equal([1, 2, 3], admitted.Select(a => a.Body["queuePosition"]!.GetValue<int>()).Order());
        var refused = answers.Where(a => a.Status != HttpStatusCode.Accepted).ToList();
        Assert.Equal(2, refused.Count);
        Assert.All(refused, a =>
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, a.Status);
            Assert.True(a.Response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "Retry-After in seconds");
            Assert.Contains("Limits:MaxQueuedJobsPerOwner", a.Body["detail"]!.GetValue<string>());
        });
        // The positions are the claim order: each admitted job shows the same one when read back.
        foreach (var a in admitted)
            Assert.Equal(a.Body["queuePosition"]!.GetValue<int>(), (await client.GetJobAsync(a.Body["id"]!.GetValue<string>()))["queuePosition"]!.GetValue<int>());
        Assert.Equal(3, (await client.GetJsonAsync("/api/jobs?status=queued"))["items"]!.AsArray().Count);
        epochs.Release();
    }

    [Fact]
    public async Task RetriesOfOneIdempotencyKeyInsideOneBatchMakeOneJobAndTheOthersReplayIt()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var body = Job(networkId, datasetId, seed: 7);

        using var batch = app.Services.GetRequiredService<JobAdmissions>().HoldUntil(4);
        var keyed = Enumerable.Range(0, 3).Select(_ => PostAsync(client, body, "batch-retry")).ToList();
        var other = PostAsync(client, body);
        var answers = await Task.WhenAll(keyed);
        Assert.Equal(4, await batch.Stored.WaitAsync(Timeout));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a.Status));
        var id = Assert.Single(answers.Select(a => a.Body["id"]!.GetValue<string>()).Distinct());
        Assert.Equal(2, answers.Count(a => a.Response.Headers.TryGetValues("Idempotent-Replayed", out var v) && v.Single() == "true"));
        var (status, otherBody, _) = await other;
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.NotEqual(id, otherBody["id"]!.GetValue<string>());
        Assert.Equal(2, (await client.GetJsonAsync("/api/jobs"))["items"]!.AsArray().Count);

        // A later retry still finds the first job.
        var (again, againBody, againResponse) = await PostAsync(client, body, "batch-retry");
        Assert.Equal(HttpStatusCode.Accepted, again);
        Assert.Equal(id, againBody["id"]!.GetValue<string>());
        Assert.Equal("true", againResponse.Headers.GetValues("Idempotent-Replayed").Single());
    }

    [Fact]
    public async Task AJobWhoseCachedNetworkWasDeletedElsewhereFailsAloneAndItsBatchIsStored()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var gone = await client.CreateAsync("/api/networks", ApiClient.XorNetwork);
        // Read (and cached) by a request that then fails its own checks: no job refers to the network.
        var (invalid, _, _) = await PostAsync(client, $$"""{ "networkId": "{{gone}}", "datasetId": "{{datasetId}}", "epochs": 5, "learningRate": 0.5, "batchSize": 99 }""");
        Assert.Equal(HttpStatusCode.BadRequest, invalid);
        // Deleted behind this process's back, as another replica would: the cache here still has it.
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<BackpropDbContext>>().CreateDbContextAsync())
            Assert.Equal(1, await db.Networks.Where(n => n.Id == gone).ExecuteDeleteAsync());

        using var batch = app.Services.GetRequiredService<JobAdmissions>().HoldUntil(3);
        var answers = await Task.WhenAll(PostAsync(client, Job(networkId, datasetId, 1)), PostAsync(client, Job(gone, datasetId, 2)), PostAsync(client, Job(networkId, datasetId, 3)));
        Assert.Equal(3, await batch.Stored.WaitAsync(Timeout));

        Assert.Equal(HttpStatusCode.Accepted, answers[0].Status);
        Assert.Equal(HttpStatusCode.Accepted, answers[2].Status);
        // Its insert found the network gone, so it was read again: as for any unknown id, a 400 naming it.
        Assert.Equal(HttpStatusCode.BadRequest, answers[1].Status);
        Assert.Contains($"Network '{gone}' does not exist.", answers[1].Body["errors"]!["networkId"]![0]!.GetValue<string>());
        var jobs = (await client.GetJsonAsync("/api/jobs"))["items"]!.AsArray().Select(j => j!["id"]!.GetValue<string>()).ToHashSet();
        Assert.Equal(new[] { answers[0], answers[2] }.Select(a => a.Body["id"]!.GetValue<string>()).ToHashSet(), jobs);
    }

    private static string Job(string networkId, string datasetId, int seed) =>
        $$"""{ "networkId": "{{networkId}}", "datasetId": "{{datasetId}}", "epochs": 20, "learningRate": 0.5, "seed": {{seed}} }""";

    private static async Task<(HttpStatusCode Status, JsonNode Body, HttpResponseMessage Response)> PostAsync(HttpClient client, string body, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        var response = await client.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!, response);
    }
}
