using System.Net;
using System.Text.Json.Nodes;
using BackpropService.Api.Testing;

namespace BackpropService.Api.Tests.Models;

/// <summary>
/// POST /api/jobs/{id}/explain on trained jobs: the seed's XOR net against the chain rule by hand with the job's own
/// weights, integrated gradients' completeness and gradients against finite differences through the endpoint, a softmax
/// net's predicted class, a graph-form network; then every 400, 404, 409 and 422.
/// </summary>
public sealed class ExplainTests
{
    private static readonly double[][] XorRows = [[0, 0], [0, 1], [1, 0], [1, 1]];

    [Fact]
    public async Task TheXorJobsInputGradientIsTheChainRuleWithItsWeights()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var job = await client.CreateJobAsync(networkId, datasetId, 2000);
        await client.WaitForStatusAsync(job, "succeeded");

        var weights = (await client.GetJsonAsync($"/api/jobs/{job}/weights"))["parameters"]!.AsArray()
            .ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!["values"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray());
        var (theta1, bias1, theta2, bias2) = (weights["layers.0.weights"], weights["layers.0.bias"], weights["layers.1.weights"], weights["layers.1.bias"]);
        var body = await ExplainAsync(client, job, new JsonObject { ["inputs"] = Rows(XorRows) });
        Assert.Equal("gradient", body["method"]!.GetValue<string>());
        Assert.Equal(0, body["output"]!.GetValue<int>());
        var predicted = (await client.SendAsync(HttpMethod.Post, $"/api/jobs/{job}/predict", new JsonObject { ["inputs"] = Rows(XorRows) }.ToJsonString())).Body!;

        static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
        for (var r = 0; r < 4; r++)
        {
            var x = XorRows[r];
            // θ1 is [inputs, units] row-major: θ1[i, j] = theta1[i * 2 + j]. dL3/dx_i = L3(1 − L3) Σ_j θ2_j L2_j(1 − L2_j) θ1_ij.
            var l2 = Enumerable.Range(0, 2).Select(j => Sigmoid(x[0] * theta1[j] + x[1] * theta1[2 + j] + bias1[j])).ToArray();
            var l3 = Sigmoid(l2[0] * theta2[0] + l2[1] * theta2[1] + bias2[0]);
            Assert.Equal(l3, Value(body["outputs"]![r]![0]), 1e-12);
            Assert.Equal(l3, Value(predicted["outputs"]![r]![0]), 1e-6);
            for (var i = 0; i < 2; i++)
            {
                var expected = l3 * (1 - l3) * Enumerable.Range(0, 2).Sum(j => theta2[j] * l2[j] * (1 - l2[j]) * theta1[i * 2 + j]);
                Assert.Equal(expected, Value(body["attributions"]![r]![i]), 1e-12);
            }
        }
    }

    [Fact]
    public async Task IntegratedGradientsAddUpAndGradientsMatchFiniteDifferences()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var job = await TrainAsync(client, """{ "name": "smooth", "inputs": 2, "layers": [ { "units": 4, "activation": "tanh" }, { "units": 1, "activation": "identity" } ], "loss": "mse" }""",
            """{ "features": [[0,0],[0,1],[1,0],[1,1]], "targets": [[0.1],[0.8],[0.7],[0.2]] }""");
        double[][] rows = [[0.3, 0.9], [-0.4, 0.2]];
        double[] baseline = [0.1, -0.2];

        var integrated = await ExplainAsync(client, job, new JsonObject
        {
            ["inputs"] = Rows(rows), ["method"] = "integrated_gradients", ["baseline"] = Row(baseline), ["steps"] = 64,
        });
        Assert.Equal(64, integrated["steps"]!.GetValue<int>());
        var atBaseline = Value((await ExplainAsync(client, job, new JsonObject { ["inputs"] = Rows([baseline]) }))["outputs"]![0]![0]);
        var gradients = await ExplainAsync(client, job, new JsonObject { ["inputs"] = Rows(rows) });
        for (var r = 0; r < rows.Length; r++)
        {
            var sum = integrated["attributions"]![r]!.AsArray().Sum(Value);
            Assert.Equal(Value(integrated["outputs"]![r]![0]) - atBaseline, sum, 1e-3);

            for (var c = 0; c < 2; c++)
            {
                const double h = 1e-5;
                double[] plus = [.. rows[r]], minus = [.. rows[r]];
                plus[c] += h;
                minus[c] -= h;
                var outputs = (await ExplainAsync(client, job, new JsonObject { ["inputs"] = Rows([plus, minus]) }))["outputs"]!;
                Assert.Equal((Value(outputs[0]![0]) - Value(outputs[1]![0])) / (2 * h), Value(gradients["attributions"]![r]![c]), 1e-7);
            }
        }
    }

    [Fact]
    public async Task ASoftmaxJobExplainsEachRowsPredictedClassByDefault()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var job = await TrainAsync(client, """{ "name": "three", "inputs": 2, "layers": [ { "units": 6, "activation": "tanh" }, { "units": 3, "activation": "softmax" } ], "loss": "cross_entropy" }""",
            """{ "features": [[0,0],[0,1],[1,0],[1,1],[2,2],[-1,1]], "targets": [[1,0,0],[0,1,0],[0,1,0],[0,0,1],[0,0,1],[1,0,0]] }""", epochs: 500);
        double[][] rows = [[0, 0], [0, 1], [1, 1], [2, 2], [-1, 1]];

        var body = await ExplainAsync(client, job, new JsonObject { ["inputs"] = Rows(rows), ["method"] = "gradient_x_input" });
        Assert.Null(body["output"]);
        var classes = body["outputs"]!.AsArray().Select(o => { var row = o!.AsArray().Select(Value).ToArray(); return Array.IndexOf(row, row.Max()); }).ToArray();
        Assert.Equal(classes, body["explainedOutputs"]!.AsArray().Select(v => v!.GetValue<int>()).ToArray());
        Assert.True(classes.Distinct().Count() > 1, $"the trained net should predict more than one class: {string.Join(",", classes)}");
        for (var r = 0; r < rows.Length; r++)
        {
            var one = await ExplainAsync(client, job, new JsonObject { ["inputs"] = Rows([rows[r]]), ["method"] = "gradient_x_input", ["output"] = classes[r] });
            Assert.Equal(classes[r], one["output"]!.GetValue<int>());
            Assert.Equal(one["attributions"]![0]!.ToJsonString(), body["attributions"]![r]!.ToJsonString());
        }
    }

    [Fact]
    public async Task AGraphFormJobIsExplainedAndOneThatMixesRowsIs422()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var job = await TrainAsync(client, """
            { "name": "graph", "graph": { "nodes": [ { "id": "x", "op": "input", "shape": [2] }, { "id": "y", "op": "target", "shape": [1] },
              { "id": "w", "op": "parameter", "shape": [2, 1], "init": "xavier" }, { "id": "z", "op": "matmul", "inputs": ["x", "w"] },
              { "id": "out", "op": "tanh", "inputs": ["z"] }, { "id": "loss", "op": "mse", "inputs": ["out", "y"] } ], "output": "out", "loss": "loss" } }
            """, """{ "features": [[0,0],[0,1],[1,0],[1,1]], "targets": [[0],[1],[1],[0]] }""");
        var w = (await client.GetJsonAsync($"/api/jobs/{job}/weights"))["parameters"]![0]!["values"]!.AsArray().Select(Value).ToArray();
        var body = await ExplainAsync(client, job, new JsonObject { ["inputs"] = Rows([[0.2, 0.7]]) });
        var t = Math.Tanh(0.2 * w[0] + 0.7 * w[1]);
        Assert.Equal((1 - t * t) * w[0], Value(body["attributions"]![0]![0]), 1e-12);
        Assert.Equal((1 - t * t) * w[1], Value(body["attributions"]![0]![1]), 1e-12);

        // Without a declared input width, rows of another width meet the network only at shape inference: still a 400.
        var open = await TrainAsync(client, """
            { "name": "open", "graph": { "nodes": [ { "id": "x", "op": "input" }, { "id": "y", "op": "target" },
              { "id": "w", "op": "parameter", "shape": [2, 1], "init": "xavier" }, { "id": "out", "op": "matmul", "inputs": ["x", "w"] },
              { "id": "loss", "op": "mse", "inputs": ["out", "y"] } ], "output": "out", "loss": "loss" } }
            """, """{ "features": [[0,0],[0,1],[1,0],[1,1]], "targets": [[0],[1],[1],[0]] }""");
        var (openStatus, openProblem, _) = await client.SendAsync(HttpMethod.Post, $"/api/jobs/{open}/explain", """{ "inputs": [[1, 2, 3]] }""");
        Assert.Equal(HttpStatusCode.BadRequest, openStatus);
        Assert.StartsWith("rows of 3 numbers do not fit the network", openProblem!["errors"]!["inputs"]![0]!.GetValue<string>());
        await ExplainAsync(client, open, new JsonObject { ["inputs"] = Rows([[1, 2]]) });

        var mixing = await TrainAsync(client, """
            { "name": "mixing", "graph": { "nodes": [ { "id": "x", "op": "input", "shape": [2] }, { "id": "y", "op": "target", "shape": [2] },
              { "id": "m", "op": "mean", "inputs": ["x"] }, { "id": "w", "op": "parameter", "shape": [2], "value": [1, 1] },
              { "id": "xw", "op": "mul", "inputs": ["x", "w"] }, { "id": "out", "op": "sub", "inputs": ["xw", "m"] },
              { "id": "loss", "op": "mse", "inputs": ["out", "y"] } ], "output": "out", "loss": "loss" } }
            """, """{ "features": [[0,0],[0,1]], "targets": [[0,0],[0,1]] }""");
        var (status, problem, _) = await client.SendAsync(HttpMethod.Post, $"/api/jobs/{mixing}/explain", """{ "inputs": [[1, 2]] }""");
        Assert.Equal((HttpStatusCode)422, status);
        Assert.Contains("'m' (mean)", problem!["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{ "inputs": [[0, 1, 2]] }""", "inputs[0]", "has 3 numbers; the network takes 2 inputs per row.")]
    [InlineData("""{ "inputs": [[0, 1], [1]] }""", "inputs[1]", "has 1 numbers; the network takes 2 inputs per row.")]
    [InlineData("""{ "inputs": [] }""", "inputs", "must contain at least one row of numbers.")]
    [InlineData("""{ "inputs": [[]] }""", "inputs[0]", "must be a non-empty array of numbers.")]
    [InlineData("""{ "inputs": [[0, 1e39]] }""", "inputs[0][1]", "1E+39 is outside the float32 range.")]
    [InlineData("""{ "inputs": [[0, 1]], "baseline": [0, -1e300] }""", "baseline[1]", "-1E+300 is outside the float32 range.")]
    [InlineData("""{ "inputs": [[0, 1]], "baseline": [0] }""", "baseline", "has 1 numbers; the network takes 2 inputs per row.")]
    [InlineData("""{ "inputs": [[0, 1]], "method": "integrated_gradients", "steps": 0 }""", "steps", "must be between 1 and 1024 (Limits:MaxExplainSteps); got 0.")]
    [InlineData("""{ "inputs": [[0, 1]], "method": "integrated_gradients", "steps": 1025 }""", "steps", "must be between 1 and 1024 (Limits:MaxExplainSteps); got 1025.")]
    [InlineData("""{ "inputs": [[0, 1]], "output": 1 }""", "output", "must be an output column from 0 to 0; got 1.")]
    [InlineData("""{ "inputs": [[0, 1]], "output": -1 }""", "output", "must be an output column, 0 or more; got -1.")]
    [InlineData("""{ "inputs": [[0, 1]], "method": "saliency" }""", "method", "'saliency' is not a method; use one of gradient, gradient_x_input, integrated_gradients.")]
    public async Task BadRequestsAre400NamingTheField(string request, string field, string message)
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var job = await TrainAsync(client, ApiClient.XorNetwork, ApiClient.XorDataset);
        var (status, problem, response) = await client.SendAsync(HttpMethod.Post, $"/api/jobs/{job}/explain", request);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(message, problem!["errors"]![field]![0]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{ "inputs": [["NaN", 0]] }""")]
    [InlineData("""{ "inputs": [[0, 1]], "baseline": ["Infinity", 0] }""")]
    [InlineData("""{ "inputs": [[0, 1]], "steps": 4, "typo": 1 }""")]
    public async Task NonFiniteNumbersAndUnknownMembersAre400(string request)
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var job = await TrainAsync(client, ApiClient.XorNetwork, ApiClient.XorDataset);
        var (status, problem, _) = await client.SendAsync(HttpMethod.Post, $"/api/jobs/{job}/explain", request);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.False(string.IsNullOrEmpty(problem!["detail"]?.GetValue<string>()));
    }

    [Fact]
    public async Task TheStepLimitAndTheActivationLimitAreConfigurable()
    {
        await using var app = new BackpropApplication(settings: new Dictionary<string, string?>
        {
            ["Limits:MaxExplainSteps"] = "8", ["Limits:MaxPredictNumbers"] = "1000",
        });
        var client = app.CreateClient();
        var job = await TrainAsync(client, ApiClient.XorNetwork, ApiClient.XorDataset);
        var (status, problem, _) = await client.SendAsync(HttpMethod.Post, $"/api/jobs/{job}/explain",
            """{ "inputs": [[0, 1]], "method": "integrated_gradients", "steps": 9 }""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("between 1 and 8", problem!["errors"]!["steps"]![0]!.GetValue<string>());

        // 2-2-1 XOR: 2 + 1 + 2·3 + 1·3 = 12 activations per point (input, target, two layers' matmul, add, sigmoid),
        // doubled for the gradients: 8 rows × 9 points (8 steps) is well past 1,000, one row × 9 points is not.
        var rows = string.Join(",", Enumerable.Repeat("[0, 1]", 8));
        (status, problem, _) = await client.SendAsync(HttpMethod.Post, $"/api/jobs/{job}/explain",
            $$"""{ "inputs": [{{rows}}], "method": "integrated_gradients", "steps": 8 }""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Limits:MaxPredictNumbers", problem!["errors"]!["inputs"]![0]!.GetValue<string>());
        await ExplainAsync(client, job, new JsonObject { ["inputs"] = Rows([[0, 1]]), ["method"] = "integrated_gradients", ["steps"] = 8 });
    }

    [Fact]
    public async Task AJobWithoutWeightsIs409AndAnUnknownOrForeignJobIs404()
    {
        const string alice = "key-alice-0123456789", bob = "key-bob-9876543210";
        await using var app = new BackpropApplication(settings: new Dictionary<string, string?>
        {
            ["Auth:ApiKeys:" + alice] = "alice", ["Auth:ApiKeys:" + bob] = "bob",
        });
        using var hold = EpochHold.Arm(app.InstanceName, 1);
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", alice);
        var (networkId, datasetId) = await client.CreateXorAsync();
        var job = await client.CreateJobAsync(networkId, datasetId, 1000);
        Assert.Equal(job, await hold.Reached.WaitAsync(TimeSpan.FromSeconds(60)));

        const string request = """{ "inputs": [[0, 1]] }""";
        var (status, problem, _) = await client.SendAsync(HttpMethod.Post, $"/api/jobs/{job}/explain", request);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("no weights", problem!["detail"]!.GetValue<string>());

        var other = app.CreateClient();
        other.DefaultRequestHeaders.Add("X-Api-Key", bob);
        Assert.Equal(HttpStatusCode.NotFound, (await other.SendAsync(HttpMethod.Post, $"/api/jobs/{job}/explain", request)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Post, $"/api/jobs/{Guid.Empty}/explain", request)).Status);
        await client.SendAsync(HttpMethod.Post, $"/api/jobs/{job}/cancel");
        hold.Release();
    }

    private static async Task<string> TrainAsync(HttpClient client, string network, string dataset, int epochs = 200)
    {
        var networkId = await client.CreateAsync("/api/networks", network);
        var datasetId = await client.CreateAsync("/api/datasets", dataset);
        var job = await client.CreateJobAsync(networkId, datasetId, epochs, 0.1);
        var done = await client.WaitForStatusAsync(job, "succeeded");
        Assert.Equal("succeeded", done["status"]!.GetValue<string>());
        return job;
    }

    private static async Task<JsonNode> ExplainAsync(HttpClient client, string job, JsonObject request)
    {
        var (status, body, _) = await client.SendAsync(HttpMethod.Post, $"/api/jobs/{job}/explain", request.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, $"explain → {(int)status}: {body}");
        return body!;
    }

    private static double Value(JsonNode? node) => node!.GetValue<double>();

    private static JsonArray Row(double[] row) => new(row.Select(v => (JsonNode)v).ToArray());

    private static JsonArray Rows(double[][] rows) => new(rows.Select(r => (JsonNode)Row(r)).ToArray());
}
