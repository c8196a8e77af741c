using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BackpropService.Api.Tests.Errors;

/// <summary>
/// Numbers and text are validated where they enter: numbers that become float32 within its range, with the
/// datasets' message; names, node ids and class labels without control or bidi characters and within their limits.
/// Each rejection names the path of the bad value.
/// </summary>
public sealed class EnteredValuesTests
{
    private const string OutOfRange = "is outside the float32 range.";

    public static TheoryData<string, string, string> Float32Cases() => new()
    {
        // url, body, path named in errors
        { "/api/networks", """{ "inputs": 1, "layers": [ { "units": 1, "activation": "identity", "weights": [[1e39]] } ], "loss": "mse" }""", "layers[0].weights[0][0]" },
        { "/api/networks", """{ "inputs": 2, "layers": [ { "units": 2, "activation": "identity", "bias": [0, -4e38] } ], "loss": "mse" }""", "layers[0].bias[1]" },
        { "/api/networks", """{ "graph": { "nodes": [ { "id": "w", "op": "parameter", "value": [[0, 1e300]] } ], "output": "w" } }""", "graph.nodes[0].value[0][1]" },
        { "/api/jobs", """{ "network": { "inputs": 1, "layers": [ { "units": 1, "activation": "identity", "weights": [[-1e39]] } ], "loss": "mse" }, "datasetId": "d", "epochs": 1, "learningRate": 0.1 }""", "network.layers[0].weights[0][0]" },
        { "/api/graphs/evaluate", """{ "graph": { "nodes": [ { "id": "w", "op": "parameter", "shape": [2] } ], "output": "w" }, "parameters": { "w": [1, 1e39] } }""", "parameters.w[1]" },
        { "/api/graphs/evaluate", """{ "graph": { "nodes": [ { "id": "c", "op": "constant", "value": 1e39 } ], "output": "c" } }""", "graph.nodes[0].value" },
        { "/api/jobs/any/predict", """{ "inputs": [[0, 1], [1e308, 0]] }""", "inputs[1][0]" },
        { "/api/jobs/any/explain", """{ "inputs": [[0, 1], [1e308, 0]] }""", "inputs[1][0]" },
        { "/api/jobs/any/explain", """{ "inputs": [[0, 1]], "baseline": [0, -1e39] }""", "baseline[1]" },
    };

    [Theory]
    [MemberData(nameof(Float32Cases))]
    public async Task NumbersBeyondFloat32AreRejectedWithTheDatasetsMessage(string url, string body, string path)
    {
        await using var app = new BackpropApplication();
        var errors = await BadRequestErrorsAsync(app, url, body);
        Assert.True(errors.ContainsKey(path), $"no error at {path}: {errors.ToJsonString()}");
        Assert.EndsWith(OutOfRange, errors[path]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task DatasetsAndWeightsShareOneMessage()
    {
        await using var app = new BackpropApplication();
        var dataset = await BadRequestErrorsAsync(app, "/api/datasets", """{ "features": [[1e39]], "targets": [[0]] }""");
        var weights = await BadRequestErrorsAsync(app, "/api/networks",
            """{ "inputs": 1, "layers": [ { "units": 1, "activation": "identity", "weights": [[1e39]] } ], "loss": "mse" }""");
        Assert.Equal("1E+39 " + OutOfRange, weights["layers[0].weights[0][0]"]![0]!.GetValue<string>());
        Assert.EndsWith("1E+39 " + OutOfRange, dataset["features[0][0]"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task TheLargestFloat32IsAccepted()
    {
        await using var app = new BackpropApplication();
        var body = """{ "inputs": 1, "layers": [ { "units": 1, "activation": "identity", "weights": [[3.4028234e38]], "bias": [-3.4028234e38] } ], "loss": "mse" }""";
        await app.CreateClient().CreateAsync("/api/networks", body);
    }

    public static TheoryData<string> Controls() => new() { "\u0000", "\u001b[31m", "\r\n", "\u007f", "\u0085", "\u202e", "\u2066", "\u200f" };

    [Theory]
    [MemberData(nameof(Controls))]
    public async Task NamesAndNodeIdsRejectControlAndBidiCharacters(string control)
    {
        await using var app = new BackpropApplication();
        var name = JsonSerializer.Serialize("evil" + control + "name");
        var cases = new (string Url, string Body, string Path)[]
        {
            ("/api/networks", $$"""{ "name": {{name}}, "inputs": 1, "layers": [ { "units": 1, "activation": "identity" } ], "loss": "mse" }""", "name"),
            ("/api/datasets", $$"""{ "name": {{name}}, "features": [[0]], "targets": [[0]] }""", "name"),
            ("/api/networks", $$"""{ "graph": { "nodes": [ { "id": {{name}}, "op": "input" } ], "output": "x" } }""", "graph.nodes[0].id"),
            ("/api/graphs/evaluate", $$"""{ "graph": { "nodes": [ { "id": {{name}}, "op": "input" } ], "output": "x" } }""", "graph.nodes[0].id"),
            ("/api/graphs/evaluate", $$"""{ "graph": { "nodes": [ { "id": "x", "op": "input" }, { "id": "y", "op": "exp", "inputs": [{{name}}] } ], "output": "y" } }""", "graph.nodes[1].inputs[0]"),
            ("/api/networks", $$"""{ "graph": { "nodes": [ { "id": "x", "op": "input" } ], "output": {{name}} } }""", "graph.output"),
        };
        foreach (var (url, body, path) in cases)
        {
            var errors = await BadRequestErrorsAsync(app, url, body);
            Assert.True(errors.ContainsKey(path), $"{url}: no error at {path}: {errors.ToJsonString()}");
            Assert.Contains("control or bidirectional", errors[path]![0]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task CsvNamesAndClassLabelsRejectControlCharactersAndLongLabels()
    {
        await using var app = new BackpropApplication(settings: new Dictionary<string, string?> { ["Limits:MaxClassLabelLength"] = "10" });
        var client = app.CreateClient();
        var (status, problem, _) = await client.SendAsync(HttpMethod.Post, "/api/datasets?target=y&name=a%1Bb", "x,y\n1,cat\n", "text/csv");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("control or bidirectional", problem!["errors"]!["name"]![0]!.GetValue<string>());

        (status, problem, _) = await client.SendAsync(HttpMethod.Post, "/api/datasets?target=y", "x,y\n1,cat\n2,\u202Edog\n", "text/csv");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("control or bidirectional", problem!["errors"]!["rows[2].y"]![0]!.GetValue<string>());

        (status, problem, _) = await client.SendAsync(HttpMethod.Post, "/api/datasets?target=y", "x,y\n1,cat\n2,hippopotamus\n", "text/csv");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Limits:MaxClassLabelLength", problem!["errors"]!["rows[2].y"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task NamesAndNodeIdsHaveConfigurableLengthLimits()
    {
        await using var app = new BackpropApplication(settings: new Dictionary<string, string?>
        {
            ["Limits:MaxNameLength"] = "8", ["Limits:MaxNodeIdLength"] = "4",
        });
        var names = await BadRequestErrorsAsync(app, "/api/datasets", """{ "name": "ninechars", "features": [[0]], "targets": [[0]] }""");
        Assert.Contains("Limits:MaxNameLength", names["name"]![0]!.GetValue<string>());
        var ids = await BadRequestErrorsAsync(app, "/api/networks", """{ "graph": { "nodes": [ { "id": "longer", "op": "input" } ], "output": "longer" } }""");
        Assert.Contains("Limits:MaxNodeIdLength", ids["graph.nodes[0].id"]![0]!.GetValue<string>());
        await app.CreateClient().CreateAsync("/api/networks", """{ "name": "8 chars!", "graph": { "nodes": [ { "id": "x", "op": "input" }, { "id": "four", "op": "exp", "inputs": ["x"] } ], "output": "four" } }""");
    }

    [Fact]
    public async Task UnknownIdsUnderEvaluateParametersAreRejected()
    {
        await using var app = new BackpropApplication();
        var errors = await BadRequestErrorsAsync(app, "/api/graphs/evaluate",
            """{ "graph": { "nodes": [ { "id": "w", "op": "parameter", "value": 2 }, { "id": "y", "op": "exp", "inputs": ["w"] } ], "output": "y" }, "parameters": { "w": 1, "W": 3 } }""");
        var message = errors["parameters.W"]![0]!.GetValue<string>();
        Assert.Contains("'W' is not a parameter node", message);
        Assert.Contains("its parameters are: w", message);
        Assert.False(errors.ContainsKey("parameters.w"));
    }

    private static async Task<JsonObject> BadRequestErrorsAsync(BackpropApplication app, string url, string body)
    {
        var (status, problem, _) = await app.CreateClient().SendAsync(HttpMethod.Post, url, body);
        Assert.True(status == HttpStatusCode.BadRequest, $"POST {url} → {(int)status}: {problem}");
        return problem!["errors"]!.AsObject();
    }
}
