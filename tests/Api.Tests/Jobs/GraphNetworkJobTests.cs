namespace BackpropService.Api.Tests.Jobs;

public sealed class GraphNetworkJobTests
{
    [Fact]
    public async Task GraphFormNetworkTrainsAndNamesWeightsByParameterNode()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var network = await client.CreateAsync("/api/networks", """
            { "name": "logistic-and",
              "graph": {
                "nodes": [ { "id": "x", "op": "input", "shape": [2] }, { "id": "y", "op": "target", "shape": [1] },
                           { "id": "w", "op": "parameter", "shape": [2, 1], "init": "xavier" },
                           { "id": "b", "op": "parameter", "shape": [1], "value": [0] },
                           { "id": "z", "op": "matmul", "inputs": ["x", "w"] }, { "id": "s", "op": "add", "inputs": ["z", "b"] },
                           { "id": "p", "op": "sigmoid", "inputs": ["s"] },
                           { "id": "loss", "op": "binary_cross_entropy", "inputs": ["p", "y"] } ],
                "output": "p", "loss": "loss" } }
            """);
        var dataset = await client.CreateAsync("/api/datasets", """{ "features": [[0,0],[0,1],[1,0],[1,1]], "targets": [[0],[0],[0],[1]] }""");
        var job = await client.CreateJobAsync(network, dataset, 3000, 1.0);
        var done = await client.WaitForStatusAsync(job, "succeeded");
        Assert.Equal("succeeded", done["status"]!.GetValue<string>());

        var weights = await client.GetJsonAsync($"/api/jobs/{job}/weights");
        Assert.Equal(new[] { "w", "b" }, weights["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).OrderDescending());
        var prediction = (await client.SendAsync(HttpMethod.Post, $"/api/jobs/{job}/predict", """{ "inputs": [[1,1],[0,1]] }""")).Body!;
        Assert.True(prediction["outputs"]![0]![0]!.GetValue<double>() > 0.5);
        Assert.True(prediction["outputs"]![1]![0]!.GetValue<double>() < 0.5);
    }
}
