using System.Net;

namespace BackpropService.Api.Tests.Jobs;

public sealed class XorStoryTests
{
    [Fact]
    public async Task XorTrainsEndToEndAndPredictsXor()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();

        var (status, created, response) = await client.SendAsync(HttpMethod.Post, "/api/jobs",
            $$"""{ "networkId": "{{networkId}}", "datasetId": "{{datasetId}}", "epochs": 20000, "learningRate": 0.5, "optimizer": "sgd", "batchSize": null, "seed": 42 }""");
        Assert.Equal(HttpStatusCode.Accepted, status);
        var jobId = created!["id"]!.GetValue<string>();
        Assert.Equal($"/api/jobs/{jobId}", response.Headers.Location!.OriginalString);
        Assert.Contains(created["status"]!.GetValue<string>(), new[] { "queued", "running" });

        var job = await client.WaitForStatusAsync(jobId, "succeeded");
        Assert.Equal("succeeded", job["status"]!.GetValue<string>());
        Assert.Equal(20000, job["epochsCompleted"]!.GetValue<int>());
        Assert.NotNull(job["finishedAt"]);
        Assert.Null(job["error"]);

        var history = await client.HistoryAsync(jobId);
        Assert.Equal(Enumerable.Range(1, 20000), history.Select(p => p.Epoch));
        Assert.True(history[^1].Cost < history[0].Cost, "the cost should fall");

        var page = await client.GetJsonAsync($"/api/jobs/{jobId}/history?after=19990&limit=5");
        Assert.Equal(new[] { 19991, 19992, 19993, 19994, 19995 }, page["points"]!.AsArray().Select(p => p!["epoch"]!.GetValue<int>()));

        var weights = await client.GetJsonAsync($"/api/jobs/{jobId}/weights");
        var names = weights["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(new[] { "layers.0.weights", "layers.0.bias", "layers.1.weights", "layers.1.bias" }, names);
        Assert.Equal(new[] { 2, 2 }, weights["parameters"]![0]!["shape"]!.AsArray().Select(d => d!.GetValue<int>()));
        Assert.Equal(20000, weights["epoch"]!.GetValue<int>());

        var (predictStatus, prediction, _) = await client.SendAsync(HttpMethod.Post, $"/api/jobs/{jobId}/predict", """{ "inputs": [[0,0],[0,1],[1,0],[1,1]] }""");
        Assert.Equal(HttpStatusCode.OK, predictStatus);
        var outputs = prediction!["outputs"]!.AsArray().Select(r => r![0]!.GetValue<double>()).ToArray();
        Assert.True(outputs[0] < 0.1 && outputs[1] > 0.9 && outputs[2] > 0.9 && outputs[3] < 0.1, string.Join(", ", outputs));

        var list = await client.GetJsonAsync("/api/jobs?status=succeeded&limit=10");
        Assert.Equal(jobId, list["items"]![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task SameSeedGivesIdenticalHistoryAndWeights()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var first = await client.CreateJobAsync(networkId, datasetId, 500);
        var second = await client.CreateJobAsync(networkId, datasetId, 500);
        await client.WaitForStatusAsync(first, "succeeded");
        await client.WaitForStatusAsync(second, "succeeded");

        Assert.Equal(await client.HistoryAsync(first), await client.HistoryAsync(second));
        var w1 = (await client.GetJsonAsync($"/api/jobs/{first}/weights"))["parameters"]!.ToJsonString();
        var w2 = (await client.GetJsonAsync($"/api/jobs/{second}/weights"))["parameters"]!.ToJsonString();
        Assert.Equal(w1, w2);
    }

    [Fact]
    public async Task JobsListNewestFirstWithCursor()
    {
        await using var app = new BackpropApplication(settings: new Dictionary<string, string?> { ["Training:MaxConcurrentJobs"] = "1" });
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++) ids.Add(await client.CreateJobAsync(networkId, datasetId, 10));

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await client.GetJsonAsync("/api/jobs?limit=2" + (cursor is null ? "" : "&cursor=" + cursor));
            seen.AddRange(page["items"]!.AsArray().Select(j => j!["id"]!.GetValue<string>()));
            cursor = page["next"]?.GetValue<string>();
        } while (cursor is not null);

        Assert.Equal(Enumerable.Reverse(ids), seen);
    }
}
