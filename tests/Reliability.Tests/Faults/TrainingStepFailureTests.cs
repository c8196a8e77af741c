using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BackpropService.Reliability.Tests.Harness;

namespace BackpropService.Reliability.Tests.Faults;

/// <summary>A job whose training throws (buffers too large for memory) fails with the reason; the worker lives on.</summary>
public sealed class TrainingStepFailureTests
{
    /// <summary>1 → 65,536 → 1 units on 40,000 rows in one batch: ~2.6e9 activations per buffer.</summary>
    private const string WideNetwork = """
        { "name": "too-wide", "inputs": 1, "layers": [ { "units": 65536, "activation": "relu" }, { "units": 1, "activation": "identity" } ], "loss": "mse" }
        """;

    private static string WideDataset()
    {
        var rows = string.Join(',', Enumerable.Range(0, 40_000).Select(i => $"[{(i % 100).ToString(CultureInfo.InvariantCulture)}]"));
        return $$"""{ "name": "many-rows", "features": [{{rows}}], "targets": [{{rows}}] }""";
    }

    [Fact]
    public async Task ABatchTooLargeForMemoryIsRejectedUpFrontByDefault()
    {
        await using var app = new InProcessService();
        var client = app.CreateClient();
        var network = await client.PostAsync("/api/networks", WideNetwork, HttpStatusCode.Created);
        var dataset = await client.PostAsync("/api/datasets", WideDataset(), HttpStatusCode.Created);
        using var response = await client.PostAsync("/api/jobs", Json($$"""{ "networkId": "{{network}}", "datasetId": "{{dataset}}", "epochs": 1, "learningRate": 0.1 }"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains("Limits:MaxBatchNumbers", problem["errors"]!["batchSize"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task WithTheMemoryBoundLiftedTheJobFailsWithTheReasonAndTheWorkerTrainsTheNextJob()
    {
        await using var app = new InProcessService(new Dictionary<string, string?> { ["Limits:MaxBatchNumbers"] = "1e15", ["Training:MaxConcurrentJobs"] = "1" });
        var client = app.CreateClient();
        var network = await client.PostAsync("/api/networks", WideNetwork, HttpStatusCode.Created);
        var dataset = await client.PostAsync("/api/datasets", WideDataset(), HttpStatusCode.Created);
        var doomed = await client.PostAsync("/api/jobs", $$"""{ "networkId": "{{network}}", "datasetId": "{{dataset}}", "epochs": 1, "learningRate": 0.1 }""", HttpStatusCode.Accepted);
        var (networkId, datasetId) = await client.CreateNetworkAndDatasetAsync();
        var healthy = await client.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, 30), HttpStatusCode.Accepted);

        var failed = await client.WaitForFinishAsync(doomed, TimeSpan.FromSeconds(60));
        Assert.Equal("failed", JobClient.Status(failed));
        Assert.Contains("out of memory", failed["error"]!.GetValue<string>());
        Assert.DoesNotContain(" at ", failed["error"]!.GetValue<string>());
        Assert.Equal("succeeded", JobClient.Status(await client.WaitForFinishAsync(healthy, TimeSpan.FromSeconds(60))));
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
