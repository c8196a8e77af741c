using System.Net;
using System.Text.Json.Nodes;

namespace BackpropService.Api.Tests.Graphs;

public sealed class GraphsApiTests
{
    private static async Task<JsonNode> EvaluateAsync(HttpClient client, string json)
    {
        var (status, body, _) = await client.SendAsync(HttpMethod.Post, "/api/graphs/evaluate", json);
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        return body!;
    }

    [Fact]
    public async Task EvaluatesExpOfSinOfXSquaredWithChainRuleEdges()
    {
        await using var app = new BackpropApplication();
        var body = await EvaluateAsync(app.CreateClient(), """
            { "graph": { "nodes": [ { "id": "x", "op": "input" }, { "id": "h", "op": "square", "inputs": ["x"] },
                                    { "id": "g", "op": "sin", "inputs": ["h"] }, { "id": "f", "op": "exp", "inputs": ["g"] } ],
                         "output": "f" },
              "inputs": { "x": 0.5 } }
            """);
        const double x = 0.5;
        var f = Math.Exp(Math.Sin(x * x));
        var dfdx = f * Math.Cos(x * x) * 2 * x;
        Assert.Equal(f, body["value"]!.GetValue<double>(), 10);
        Assert.Equal(dfdx, body["gradients"]!["x"]!.GetValue<double>(), 10);

        var edges = body["edges"]!.AsArray().ToDictionary(e => (e!["from"]!.GetValue<string>(), e["to"]!.GetValue<string>()), e => e!["localDerivative"]!.GetValue<double>());
        Assert.Equal(2 * x, edges[("x", "h")], 10);
        Assert.Equal(Math.Cos(x * x), edges[("h", "g")], 10);
        Assert.Equal(f, edges[("g", "f")], 10);
        Assert.Equal(dfdx, edges[("x", "h")] * edges[("h", "g")] * edges[("g", "f")], 10);

        var nodes = body["nodes"]!.AsArray().ToDictionary(n => n!["id"]!.GetValue<string>());
        Assert.Equal(x * x, nodes["h"]!["value"]!.GetValue<double>(), 10);
        Assert.Equal(1.0, nodes["f"]!["gradient"]!.GetValue<double>(), 10);
    }

    [Fact]
    public async Task NodeUsedTwiceAccumulatesBothPaths()
    {
        await using var app = new BackpropApplication();
        // f = s·s + s with s = sin(x): df/dx = (2 s + 1) cos x, summed over three paths through s.
        var body = await EvaluateAsync(app.CreateClient(), """
            { "graph": { "nodes": [ { "id": "x", "op": "input" }, { "id": "s", "op": "sin", "inputs": ["x"] },
                                    { "id": "p", "op": "mul", "inputs": ["s", "s"] }, { "id": "f", "op": "add", "inputs": ["p", "s"] } ],
                         "output": "f" },
              "inputs": { "x": 0.7 } }
            """);
        const double x = 0.7;
        var s = Math.Sin(x);
        Assert.Equal(s * s + s, body["value"]!.GetValue<double>(), 10);
        Assert.Equal((2 * s + 1) * Math.Cos(x), body["gradients"]!["x"]!.GetValue<double>(), 10);
        var sNode = body["nodes"]!.AsArray().Single(n => n!["id"]!.GetValue<string>() == "s");
        Assert.Equal(2 * s + 1, sNode!["gradient"]!.GetValue<double>(), 10);
    }

    [Fact]
    public async Task TensorInputsGiveArrayValuesAndNullEdgeDerivatives()
    {
        await using var app = new BackpropApplication();
        var body = await EvaluateAsync(app.CreateClient(), """
            { "graph": { "nodes": [ { "id": "x", "op": "input" }, { "id": "h", "op": "square", "inputs": ["x"] },
                                    { "id": "f", "op": "sum", "inputs": ["h"] } ], "output": "f" },
              "inputs": { "x": [1, 2, 3] } }
            """);
        Assert.Equal(14.0, body["value"]!.GetValue<double>(), 10);
        Assert.Equal(new[] { 2.0, 4.0, 6.0 }, body["gradients"]!["x"]!.AsArray().Select(v => v!.GetValue<double>()));
        var edge = body["edges"]!.AsArray().Single(e => e!["from"]!.GetValue<string>() == "x");
        Assert.Null(edge!["localDerivative"]);
    }

    [Fact]
    public async Task JobGraphEvaluatesARowAndUnrollsIntoScalars()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var jobId = await client.CreateJobAsync(networkId, datasetId, 100);
        await client.WaitForStatusAsync(jobId, "succeeded");

        var graph = await client.GetJsonAsync($"/api/jobs/{jobId}/graph");
        Assert.Contains(graph["nodes"]!.AsArray(), n => n!["id"]!.GetValue<string>() == "layers.0.weights");
        Assert.NotEmpty(graph["edges"]!.AsArray());

        var evaluated = await client.GetJsonAsync($"/api/jobs/{jobId}/graph?row=1");
        Assert.All(evaluated["nodes"]!.AsArray(), n => Assert.True(n!.AsObject().ContainsKey("gradient")));

        var unrolled = await client.GetJsonAsync($"/api/jobs/{jobId}/graph?row=1&unroll=true");
        var edges = unrolled["edges"]!.AsArray();
        Assert.True(unrolled["nodes"]!.AsArray().Count > graph["nodes"]!.AsArray().Count);
        Assert.All(edges, e => Assert.NotNull(e!["localDerivative"]));
    }
}
