using BackpropService.TestKit;
using System.Net;
using BackpropService.Api.Testing;
using BackpropService.Persistence;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests.Lifecycle;

/// <summary>DELETE of jobs, networks and datasets: 204, 404 afterwards everywhere, the cascade, and the 409s.</summary>
public sealed class DeleteTests
{
    [Fact]
    public async Task DeletingAFinishedJobIs204AndLeavesNoRowsAndIs404Everywhere()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var jobId = await client.CreateJobAsync(networkId, datasetId, 50);
        await client.WaitForStatusAsync(jobId, "succeeded");
        var (history, weights) = await CountAsync(app, db => db.LossChunks.CountAsync(c => c.JobId == jobId), db => db.WeightSnapshots.CountAsync(w => w.JobId == jobId));
        Assert.True(history > 0 && weights == 1, $"{history} history chunks, {weights} weight rows before the delete");

        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(HttpMethod.Delete, $"/api/jobs/{jobId}")).Status);

        var (jobs, checkpoints) = await CountAsync(app, db => db.Jobs.CountAsync(j => j.Id == jobId), db => db.Checkpoints.CountAsync(c => c.JobId == jobId));
        (history, weights) = await CountAsync(app, db => db.LossChunks.CountAsync(c => c.JobId == jobId), db => db.WeightSnapshots.CountAsync(w => w.JobId == jobId));
        Assert.Equal((0, 0, 0, 0), (jobs, checkpoints, history, weights));
        foreach (var (method, url, body) in new (HttpMethod, string, string?)[]
        {
            (HttpMethod.Get, $"/api/jobs/{jobId}", null),
            (HttpMethod.Get, $"/api/jobs/{jobId}/history", null),
            (HttpMethod.Get, $"/api/jobs/{jobId}/weights", null),
            (HttpMethod.Get, $"/api/jobs/{jobId}/graph", null),
            (HttpMethod.Post, $"/api/jobs/{jobId}/predict", """{ "inputs": [[0,0]] }"""),
            (HttpMethod.Post, $"/api/jobs/{jobId}/cancel", null),
            (HttpMethod.Delete, $"/api/jobs/{jobId}", null),
        })
        {
            var (status, problem, response) = await client.SendAsync(method, url, body);
            Assert.True(status == HttpStatusCode.NotFound, $"{method} {url} → {(int)status}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        await using var connection = await InMemoryHub.ConnectAsync(app.Server);
        var error = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<object>("Subscribe", jobId));
        Assert.Contains("does not exist", error.Message);
        // The network and dataset stay: only the job went.
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(HttpMethod.Get, $"/api/networks/{networkId}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(HttpMethod.Get, $"/api/datasets/{datasetId}")).Status);
    }

    [Fact]
    public async Task RunningAndQueuedJobsAre409UntilCancelledAndBlockTheirNetworkAndDatasetNamingTheJob()
    {
        await using var app = new BackpropApplication(settings: new Dictionary<string, string?> { ["Training:MaxConcurrentJobs"] = "1" });
        using var hold = EpochHold.Arm(app.InstanceName, 5);
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var running = await client.CreateJobAsync(networkId, datasetId, 50);
        Assert.Equal(running, await hold.Reached.WaitAsync(TimeSpan.FromSeconds(60)));
        var queued = await client.CreateJobAsync(networkId, datasetId, 50);
        Assert.Equal("queued", JobClient.Status(await client.GetJobAsync(queued)));

        await AssertConflictAsync(client, $"/api/jobs/{running}", "is running; cancel it first");
        await AssertConflictAsync(client, $"/api/jobs/{queued}", "is queued; cancel it first");
        await AssertConflictAsync(client, $"/api/networks/{networkId}", $"used by job '{running}' (running)");
        await AssertConflictAsync(client, $"/api/datasets/{datasetId}", $"used by job '{running}' (running)");
        // A network and dataset used only by a queued job are blocked by it too.
        var (waitingNetworkId, waitingDatasetId) = await client.CreateXorAsync();
        var waiting = await client.CreateJobAsync(waitingNetworkId, waitingDatasetId, 50);
        await AssertConflictAsync(client, $"/api/networks/{waitingNetworkId}", $"used by job '{waiting}' (queued)");
        await AssertConflictAsync(client, $"/api/datasets/{waitingDatasetId}", $"used by job '{waiting}' (queued)");
        Assert.Equal(HttpStatusCode.Accepted, await client.CancelAsync(waiting));
        await client.WaitForStatusAsync(waiting, "cancelled");

        Assert.Equal(HttpStatusCode.Accepted, await client.CancelAsync(running));
        await client.WaitForStatusAsync(running, "cancelled");
        // The running job no longer blocks, but the queued one (next in line, held at epoch 5 when it starts) does.
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(HttpMethod.Delete, $"/api/jobs/{running}")).Status);
        Assert.Equal(HttpStatusCode.Accepted, await client.CancelAsync(queued));
        await client.WaitForStatusAsync(queued, "cancelled");

        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(HttpMethod.Delete, $"/api/networks/{networkId}")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(HttpMethod.Delete, $"/api/datasets/{datasetId}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Get, $"/api/networks/{networkId}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Get, $"/api/datasets/{datasetId}")).Status);
        // A job naming a deleted network or dataset is a 400 like any unknown id.
        var (status, _, _) = await client.SendAsync(HttpMethod.Post, "/api/jobs", $$"""{ "networkId": "{{networkId}}", "datasetId": "{{datasetId}}", "epochs": 1 }""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task DeletingANetworkOrDatasetDeletesTheFinishedJobsTrainedOnIt()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var otherDataset = await client.CreateAsync("/api/datasets", ApiClient.XorDataset);
        var onNetwork = await client.CreateJobAsync(networkId, otherDataset, 20);
        var onBoth = await client.CreateJobAsync(networkId, datasetId, 20);
        await client.WaitForStatusAsync(onNetwork, "succeeded");
        await client.WaitForStatusAsync(onBoth, "succeeded");

        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(HttpMethod.Delete, $"/api/datasets/{datasetId}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Get, $"/api/jobs/{onBoth}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(HttpMethod.Get, $"/api/jobs/{onNetwork}")).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(HttpMethod.Delete, $"/api/networks/{networkId}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Get, $"/api/jobs/{onNetwork}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(HttpMethod.Get, $"/api/datasets/{otherDataset}")).Status);
        var (jobs, chunks) = await CountAsync(app, db => db.Jobs.CountAsync(), db => db.LossChunks.CountAsync());
        Assert.Equal((0, 0), (jobs, chunks));
    }

    [Theory]
    [InlineData("/api/jobs/no-such-id", "Job 'no-such-id' does not exist.")]
    [InlineData("/api/networks/no-such-id", "Network 'no-such-id' does not exist.")]
    [InlineData("/api/datasets/no-such-id", "Dataset 'no-such-id' does not exist.")]
    public async Task DeletingAnUnknownIdIsA404Problem(string url, string detail)
    {
        await using var app = new BackpropApplication();
        var (status, problem, _) = await app.CreateClient().SendAsync(HttpMethod.Delete, url);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(detail, problem!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task ARetryWithTheKeyOfADeletedJobCreatesANewJob()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var body = $$"""{ "networkId": "{{networkId}}", "datasetId": "{{datasetId}}", "epochs": 5, "learningRate": 0.5 }""";
        var first = await PostWithKeyAsync(client, body);
        await client.WaitForStatusAsync(first, "succeeded");
        Assert.Equal(first, await PostWithKeyAsync(client, body));

        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(HttpMethod.Delete, $"/api/jobs/{first}")).Status);
        var second = await PostWithKeyAsync(client, body);
        Assert.NotEqual(first, second);
        Assert.Equal("succeeded", JobClient.Status(await client.WaitForStatusAsync(second, "succeeded")));
    }

    private static async Task<string> PostWithKeyAsync(HttpClient client, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", "delete-retry-key");
        using var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST /api/jobs → {(int)response.StatusCode}");
        return System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
    }

    private static async Task AssertConflictAsync(HttpClient client, string url, string detailPart)
    {
        var (status, problem, response) = await client.SendAsync(HttpMethod.Delete, url);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detailPart, problem!["detail"]!.GetValue<string>());
    }

    private static async Task<(int, int)> CountAsync(BackpropApplication app, Func<BackpropDbContext, Task<int>> first, Func<BackpropDbContext, Task<int>> second)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BackpropDbContext>>().CreateDbContextAsync();
        return (await first(db), await second(db));
    }

}
