using System.Net;
using BackpropService.Api.Testing;

namespace BackpropService.Api.Tests.Jobs;

public sealed class CancelAndFailureTests
{
    [Fact]
    public async Task CancellingQueuedRunningAndFinishedJobs()
    {
        await using var app = new BackpropApplication(settings: new Dictionary<string, string?> { ["Training:MaxConcurrentJobs"] = "1" });
        // The running job is held mid-way (at the start of epoch HeldAt) while it is cancelled.
        const int epochs = 1_000, heldAt = 100;
        using var hold = EpochHold.Arm(app.InstanceName, heldAt);
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var running = await client.CreateJobAsync(networkId, datasetId, epochs);
        var queued = await client.CreateJobAsync(networkId, datasetId, 10);
        Assert.Equal(running, await hold.Reached.WaitAsync(TimeSpan.FromSeconds(60)));

        var (queuedStatus, queuedJob, _) = await client.SendAsync(HttpMethod.Post, $"/api/jobs/{queued}/cancel");
        Assert.Equal(HttpStatusCode.Accepted, queuedStatus);
        Assert.Equal("cancelled", queuedJob!["status"]!.GetValue<string>());

        // Cancelling lets the held epoch end and the job stop right after it.
        var (runningStatus, _, _) = await client.SendAsync(HttpMethod.Post, $"/api/jobs/{running}/cancel");
        Assert.Equal(HttpStatusCode.Accepted, runningStatus);
        var cancelled = await client.WaitForStatusAsync(running, "cancelled", 20);
        Assert.Equal("cancelled", cancelled["status"]!.GetValue<string>());
        Assert.Equal(heldAt, cancelled["epochsCompleted"]!.GetValue<int>());

        // History is still complete up to where it stopped.
        var history = await client.HistoryAsync(running);
        Assert.Equal(Enumerable.Range(1, heldAt), history.Select(p => p.Epoch));

        var (again, problem, response) = await client.SendAsync(HttpMethod.Post, $"/api/jobs/{running}/cancel");
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.False(string.IsNullOrWhiteSpace(problem!["detail"]!.GetValue<string>()));
    }

    [Fact]
    public async Task CancellingAFinishedJobIsAConflict()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var id = await client.CreateJobAsync(networkId, datasetId, 10);
        await client.WaitForStatusAsync(id, "succeeded");
        var (status, _, _) = await client.SendAsync(HttpMethod.Post, $"/api/jobs/{id}/cancel");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("succeeded", (await client.GetJsonAsync($"/api/jobs/{id}"))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task HugeLearningRateDivergesAndFailsWithAMessage()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var network = await client.CreateAsync("/api/networks",
            """{ "name": "line", "inputs": 2, "layers": [ { "units": 1, "activation": "identity" } ], "loss": "mse" }""");
        var dataset = await client.CreateAsync("/api/datasets",
            """{ "features": [[10,20],[30,40],[50,60]], "targets": [[1],[2],[3]] }""");
        var id = await client.CreateJobAsync(network, dataset, 10000, 1e6);
        var job = await client.WaitForStatusAsync(id, "failed");
        Assert.Equal("failed", job["status"]!.GetValue<string>());
        Assert.Contains("diverged", job["error"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.True(job["epochsCompleted"]!.GetValue<int>() < 10000);
    }
}
