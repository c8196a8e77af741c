using System.Net;
using System.Text.Json.Nodes;

namespace BackpropService.Api.Tests.Limits;

/// <summary>
/// Requests whose computation is over a limit are refused with a 400 naming it, counted from shapes before anything
/// is allocated; the ones under it spend the client's compute budget in proportion to their cost.
/// </summary>
public sealed class CostLimitTests
{
    // 2 → 65,536 → 1: one row of its graph holds about 400,000 values and one row of a prediction about 200,000 numbers.
    private const string WideNetwork = """
        { "name": "wide", "inputs": 2,
          "layers": [ { "units": 65536, "activation": "relu" }, { "units": 1, "activation": "sigmoid" } ],
          "loss": "binary_cross_entropy" }
        """;

    /// <summary>What computing any of the refused requests below would allocate at the least (MB): its tensors alone.</summary>
    private const double ComputingWouldAllocateMb = 32;

    [Fact]
    public async Task EvaluatingMoreValuesThanTheLimitIsRefusedBeforeAnythingIsComputed()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        // The 169-byte body of the report: 4,000,000 parameters, their sines and a sum (about 8 M values and as many gradients).
        const string json = """
            { "graph": { "nodes": [ { "id": "w", "op": "parameter", "shape": [2000, 2000] },
                                    { "id": "s", "op": "sin", "inputs": ["w"] }, { "id": "f", "op": "sum", "inputs": ["s"] } ],
                         "output": "f" } }
            """;
        var (allocatedMb, (status, body, _)) = await MeasureAllocationAsync(() => client.SendAsync(HttpMethod.Post, "/api/graphs/evaluate", json));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("8000001 values", body!["detail"]!.GetValue<string>());
        Assert.Contains("Limits:MaxEvaluationValues", body["detail"]!.GetValue<string>());
        Assert.True(allocatedMb < ComputingWouldAllocateMb, $"the refused request allocated {allocatedMb:F1} MB");
    }

    [Fact]
    public async Task LayeredNetworksAreCountedInCompiledNodesAgainstMaxGraphNodes()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        static string Layers(int count) => $$"""
            { "name": "deep", "inputs": 1, "loss": "mse",
              "layers": [{{string.Join(",", Enumerable.Repeat("""{ "units": 1, "activation": "sigmoid" }""", count))}}] }
            """;

        // x, y and loss, then weights, bias, matmul, add and the activation per layer: 1,999 layers are 9,998 nodes.
        await client.CreateAsync("/api/networks", Layers(1_999));
        var (status, body, _) = await client.SendAsync(HttpMethod.Post, "/api/networks", Layers(2_000));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("2000 layers compile to 10003 graph nodes", body!["errors"]!["layers"]![0]!.GetValue<string>());
        Assert.Contains("Limits:MaxGraphNodes", body["errors"]!["layers"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task PredictionAndGraphOnARowOverTheirLimitsAreRefusedBeforeTheWeightsAreRead()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var networkId = await client.CreateAsync("/api/networks", WideNetwork);
        var datasetId = await client.CreateAsync("/api/datasets", ApiClient.XorDataset);
        var jobId = await client.CreateJobAsync(networkId, datasetId, epochs: 1);
        await client.WaitForStatusAsync(jobId, "succeeded");

        var rows = string.Join(",", Enumerable.Repeat("[0,1]", 100));
        var (allocatedMb, (status, body, _)) = await MeasureAllocationAsync(() =>
            client.SendAsync(HttpMethod.Post, $"/api/jobs/{jobId}/predict", $$"""{ "inputs": [{{rows}}] }"""));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Limits:MaxPredictNumbers", body!["detail"]!.GetValue<string>());
        Assert.True(allocatedMb < ComputingWouldAllocateMb, $"the refused prediction allocated {allocatedMb:F1} MB");

        (allocatedMb, (status, body, _)) = await MeasureAllocationAsync(() => client.SendAsync(HttpMethod.Get, $"/api/jobs/{jobId}/graph?row=0"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Limits:MaxEvaluationValues", body!["detail"]!.GetValue<string>());
        Assert.True(allocatedMb < ComputingWouldAllocateMb, $"the refused graph allocated {allocatedMb:F1} MB");

        (status, body, _) = await client.SendAsync(HttpMethod.Get, $"/api/jobs/{jobId}/graph?row=0&unroll=true");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Limits:MaxUnrolledNodes", body!["detail"]!.GetValue<string>());

        // One row is within both limits.
        (status, _, _) = await client.SendAsync(HttpMethod.Post, $"/api/jobs/{jobId}/predict", """{ "inputs": [[0,1]] }""");
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task AnExpensiveEvaluationSpendsTheComputeBudgetThatManyCheapOnesWouldNot()
    {
        await using var app = new BackpropApplication(settings: new Dictionary<string, string?>
        {
            ["RateLimits:ComputeBurst"] = "10",
            ["RateLimits:ComputeUnitsPerSecond"] = "1",
        });
        var client = app.CreateClient();
        const string cheap = """{ "graph": { "nodes": [ { "id": "x", "op": "input" }, { "id": "f", "op": "square", "inputs": ["x"] } ], "output": "f" }, "inputs": { "x": 3 } }""";
        // 5,001 values and their gradients: 11 units of 1,000 numbers, the whole burst of 10.
        const string expensive = """
            { "graph": { "nodes": [ { "id": "w", "op": "parameter", "shape": [50, 100] }, { "id": "f", "op": "sum", "inputs": ["w"] } ], "output": "f" } }
            """;
        var (status, _, _) = await client.SendAsync(HttpMethod.Post, "/api/graphs/evaluate", expensive);
        Assert.Equal(HttpStatusCode.OK, status);

        var (limited, body, response) = await client.SendAsync(HttpMethod.Post, "/api/graphs/evaluate", cheap);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited);
        Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "Retry-After in seconds");
        Assert.Contains("RateLimits:ComputeBurst", body!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task PredictionsExplanationsAndGraphReadsAreRateLimitedPerClient()
    {
        await using var app = new BackpropApplication(settings: new Dictionary<string, string?>
        {
            ["RateLimits:PredictBurst"] = "1",
            ["RateLimits:PredictionsPerSecond"] = "1",
            ["RateLimits:GraphReadBurst"] = "1",
            ["RateLimits:GraphReadsPerSecond"] = "1",
        });
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var jobId = await client.CreateJobAsync(networkId, datasetId, epochs: 1);

        foreach (var (method, url, json) in new[]
                 {
                     (HttpMethod.Post, $"/api/jobs/{jobId}/predict", """{ "inputs": [[0,1]] }"""),
                     (HttpMethod.Post, $"/api/jobs/{jobId}/explain", """{ "inputs": [[0,1]] }"""),
                     (HttpMethod.Get, $"/api/jobs/{jobId}/graph", null),
                 })
        {
            var (first, _, _) = await client.SendAsync(method, url, json);
            Assert.NotEqual(HttpStatusCode.TooManyRequests, first);
            var (second, body, response) = await client.SendAsync(method, url, json);
            Assert.Equal(HttpStatusCode.TooManyRequests, second);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Contains("RateLimits", body!["detail"]!.GetValue<string>());
        }
    }

    /// <summary>Bytes allocated by the whole process while the request ran, in MB.</summary>
    private static async Task<(double Mb, T Result)> MeasureAllocationAsync<T>(Func<Task<T>> request)
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var result = await request();
        return ((GC.GetTotalAllocatedBytes(precise: true) - before) / (1024.0 * 1024.0), result);
    }
}
