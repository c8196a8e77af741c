using System.Net;
using System.Text.Json.Nodes;
using BackpropService.Api.Testing;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace BackpropService.Api.Tests.Models;

/// <summary>
/// GET /api/jobs/{id}/model.onnx: every exported model loads in ONNX Runtime and answers random rows as /predict does
/// (max abs difference ≤ 1e-5); unmappable graphs are 422 naming the op, jobs without weights 409, foreign jobs 404.
/// </summary>
public sealed class OnnxExportTests
{
    private const string Dataset2To1 = """{ "features": [[0,0],[0,1],[1,0],[1,1]], "targets": [[0],[1],[1],[0]] }""";
    private const string Dataset2To3 = """{ "features": [[0,0],[0,1],[1,0],[1,1]], "targets": [[1,0,0],[0,1,0],[0,1,0],[0,0,1]] }""";

    public static TheoryData<string, string, string> LayeredNetworks()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var activation in new[] { "sigmoid", "tanh", "relu", "leaky_relu", "identity" })
            data.Add($"act-{activation}", Layered([(3, activation), (1, "sigmoid")], "binary_cross_entropy"), Dataset2To1);
        data.Add("head-mse", Layered([(3, "tanh"), (1, "identity")], "mse"), Dataset2To1);
        data.Add("head-sigmoid-bce", Layered([(3, "tanh"), (1, "sigmoid")], "binary_cross_entropy"), Dataset2To1);
        data.Add("head-softmax-ce", Layered([(4, "relu"), (3, "softmax")], "cross_entropy"), Dataset2To3);
        data.Add("multi-layer", Layered([(5, "tanh"), (4, "leaky_relu"), (3, "sigmoid"), (3, "softmax")], "cross_entropy"), Dataset2To3);
        return data;
    }

    public static TheoryData<string, string, string> GraphNetworks() => new()
    {
        // Every mappable op on the output's path: matmul, add, sub, mul, div, neg, exp, log, sin, cos, tanh, sigmoid,
        // relu, leaky_relu, softmax, square, pow, constants.
        { "elementwise", Graph("""
            { "id": "w", "op": "parameter", "shape": [2, 3], "init": "xavier" }, { "id": "b", "op": "parameter", "shape": [3], "value": [0.1, -0.2, 0.3] },
            { "id": "c", "op": "constant", "value": 2.0 }, { "id": "z", "op": "matmul", "inputs": ["x", "w"] },
            { "id": "a", "op": "add", "inputs": ["z", "b"] }, { "id": "s", "op": "sin", "inputs": ["a"] }, { "id": "k", "op": "cos", "inputs": ["a"] },
            { "id": "m", "op": "mul", "inputs": ["s", "k"] }, { "id": "e", "op": "exp", "inputs": ["m"] },
            { "id": "q", "op": "square", "inputs": ["a"] }, { "id": "q1", "op": "add", "inputs": ["q", "c"] }, { "id": "l", "op": "log", "inputs": ["q1"] },
            { "id": "d", "op": "div", "inputs": ["e", "q1"] }, { "id": "n", "op": "neg", "inputs": ["l"] }, { "id": "t", "op": "tanh", "inputs": ["n"] },
            { "id": "u", "op": "sub", "inputs": ["d", "t"] }, { "id": "p", "op": "pow", "inputs": ["q1"], "exponent": 1.5 },
            { "id": "v", "op": "add", "inputs": ["u", "p"] }, { "id": "r", "op": "relu", "inputs": ["v"] },
            { "id": "lr", "op": "leaky_relu", "inputs": ["u"], "alpha": 0.2 }, { "id": "h", "op": "add", "inputs": ["r", "lr"] },
            { "id": "w2", "op": "parameter", "shape": [3, 3], "init": "xavier" }, { "id": "o", "op": "matmul", "inputs": ["h", "w2"] },
            { "id": "out", "op": "softmax", "inputs": ["o"] }, { "id": "loss", "op": "cross_entropy", "inputs": ["out", "y"] }
            """, 3), Dataset2To3 },
        { "sigmoid-of-affine", Graph("""
            { "id": "w", "op": "parameter", "shape": [2, 1], "init": "xavier" }, { "id": "b", "op": "parameter", "shape": [1], "value": [0] },
            { "id": "z", "op": "matmul", "inputs": ["x", "w"] }, { "id": "s", "op": "add", "inputs": ["z", "b"] },
            { "id": "out", "op": "sigmoid", "inputs": ["s"] }, { "id": "loss", "op": "binary_cross_entropy", "inputs": ["out", "y"] }
            """, 1), Dataset2To1 },
        // sum and mean reduce a row-shaped parameter to scalars that then broadcast over the batch.
        { "reductions", Graph("""
            { "id": "w", "op": "parameter", "shape": [2, 1], "init": "xavier" }, { "id": "g", "op": "parameter", "shape": [1, 4], "init": "xavier" },
            { "id": "gs", "op": "sum", "inputs": ["g"] }, { "id": "gm", "op": "mean", "inputs": ["g"] },
            { "id": "z", "op": "matmul", "inputs": ["x", "w"] }, { "id": "a", "op": "mul", "inputs": ["z", "gs"] },
            { "id": "out", "op": "add", "inputs": ["a", "gm"] }, { "id": "loss", "op": "mse", "inputs": ["out", "y"] }
            """, 1), Dataset2To1 },
    };

    [Theory]
    [MemberData(nameof(LayeredNetworks))]
    [MemberData(nameof(GraphNetworks))]
    public async Task ExportedModelAnswersAsPredictDoes(string name, string network, string dataset)
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var job = await TrainAsync(client, name, network, dataset);

        using var response = await client.GetAsync($"/api/jobs/{job}/model.onnx");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal($"{name}.onnx", response.Content.Headers.ContentDisposition.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        var rng = new Random(7);
        var rows = Enumerable.Range(0, 16).Select(_ => new[] { rng.NextDouble() * 4 - 2, rng.NextDouble() * 4 - 2 }).ToArray();
        var predicted = await PredictAsync(client, job, rows);

        using var session = new InferenceSession(bytes);
        Assert.Equal(["input"], session.InputMetadata.Keys);
        Assert.Equal(["output"], session.OutputMetadata.Keys);
        var metadata = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal(job, metadata["jobId"]);
        var weights = await client.GetJsonAsync($"/api/jobs/{job}/weights");
        Assert.Equal(weights["epoch"]!.GetValue<int>().ToString(System.Globalization.CultureInfo.InvariantCulture), metadata["epoch"]);
        Assert.False(string.IsNullOrEmpty(metadata["serviceVersion"]));

        var input = new DenseTensor<float>(rows.SelectMany(r => r).Select(v => (float)v).ToArray(), [rows.Length, 2]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", input)]);
        var output = results.Single(r => r.Name == "output").AsTensor<float>();
        Assert.Equal([rows.Length, predicted[0].Length], output.Dimensions.ToArray());
        var worst = 0.0;
        for (var r = 0; r < rows.Length; r++)
            for (var c = 0; c < predicted[r].Length; c++)
                worst = Math.Max(worst, Math.Abs(output[r, c] - predicted[r][c]));
        Assert.True(worst <= 1e-5, $"max abs difference {worst}");
    }

    [Fact]
    public async Task AGraphWhoseOutputIsALossIs422NamingTheOp()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        // The output is the loss itself: mse needs the target, which a model of the inputs alone does not have.
        var network = await client.CreateAsync("/api/networks", $$"""
            { "name": "loss-out", "graph": { "nodes": [ { "id": "x", "op": "input", "shape": [2] }, { "id": "y", "op": "target", "shape": [1] },
              { "id": "w", "op": "parameter", "shape": [2, 1], "init": "xavier" }, { "id": "z", "op": "matmul", "inputs": ["x", "w"] },
              { "id": "loss", "op": "mse", "inputs": ["z", "y"] } ], "output": "loss", "loss": "loss" } }
            """);
        var datasetId = await client.CreateAsync("/api/datasets", Dataset2To1);
        var job = await client.CreateJobAsync(network, datasetId, 3);
        await client.WaitForStatusAsync(job, "succeeded");

        var (status, problem, response) = await client.SendAsync(HttpMethod.Get, $"/api/jobs/{job}/model.onnx");
        Assert.Equal((HttpStatusCode)422, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("'mse'", problem!["detail"]!.GetValue<string>());
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

        // Held before its first epoch: no checkpoint, so no weights.
        var (status, problem, _) = await client.SendAsync(HttpMethod.Get, $"/api/jobs/{job}/model.onnx");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("no weights", problem!["detail"]!.GetValue<string>());

        var other = app.CreateClient();
        other.DefaultRequestHeaders.Add("X-Api-Key", bob);
        Assert.Equal(HttpStatusCode.NotFound, (await other.SendAsync(HttpMethod.Get, $"/api/jobs/{job}/model.onnx")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Get, $"/api/jobs/{Guid.Empty}/model.onnx")).Status);
        await client.SendAsync(HttpMethod.Post, $"/api/jobs/{job}/cancel");
        hold.Release();
    }

    private static async Task<string> TrainAsync(HttpClient client, string name, string network, string dataset)
    {
        var body = JsonNode.Parse(network)!.AsObject();
        body["name"] = name;
        var networkId = await client.CreateAsync("/api/networks", body.ToJsonString());
        var datasetId = await client.CreateAsync("/api/datasets", dataset);
        var job = await client.CreateJobAsync(networkId, datasetId, 3, 0.1);
        var done = await client.WaitForStatusAsync(job, "succeeded");
        Assert.Equal("succeeded", done["status"]!.GetValue<string>());
        return job;
    }

    private static async Task<double[][]> PredictAsync(HttpClient client, string job, double[][] rows)
    {
        var request = new JsonObject { ["inputs"] = new JsonArray(rows.Select(r => (JsonNode)new JsonArray(r.Select(v => (JsonNode)v).ToArray())).ToArray()) };
        var (status, body, _) = await client.SendAsync(HttpMethod.Post, $"/api/jobs/{job}/predict", request.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, status);
        return body!["outputs"]!.AsArray().Select(r => r!.AsArray().Select(v => v!.GetValue<double>()).ToArray()).ToArray();
    }

    private static string Layered((int Units, string Activation)[] layers, string loss) =>
        $$"""{ "inputs": 2, "layers": [ {{string.Join(", ", layers.Select(l => $$"""{ "units": {{l.Units}}, "activation": "{{l.Activation}}" }"""))}} ], "loss": "{{loss}}" }""";

    private static string Graph(string nodes, int outputs) => $$"""
        { "graph": { "nodes": [ { "id": "x", "op": "input", "shape": [2] }, { "id": "y", "op": "target", "shape": [{{outputs}}] }, {{nodes}} ],
                     "output": "out", "loss": "loss" } }
        """;
}
