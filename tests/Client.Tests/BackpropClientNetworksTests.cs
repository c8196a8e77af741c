using System.Text.Json;
using BackpropService.Client.Models;
using BackpropService.Client.Tests.Harness;

namespace BackpropService.Client.Tests;

/// <summary>Networks, datasets (JSON and CSV) and graph evaluation against the service in-process.</summary>
public sealed class BackpropClientNetworksTests
{
    [Fact]
    public async Task ALayeredNetworkIsCreatedReadAndListed()
    {
        await using var service = TestService.Start();
        using var client = service.Client();

        var created = await client.CreateNetworkAsync(Xor.Network);
        Assert.Equal("xor", created.Name);
        Assert.Equal(2, created.Inputs);
        Assert.Equal(1, created.Outputs);
        Assert.Equal(9, created.ParameterCount);

        var read = await client.GetNetworkAsync(created.Id);
        Assert.Equal(created.Id, read.Id);
        Assert.NotNull(read.Graph);
        Assert.Contains(read.Graph.Edges, e => e.To == read.Graph.Output);

        var page = await client.ListNetworksAsync(limit: 10);
        Assert.Equal([created.Id], page.Items.Select(n => n.Id));
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task ANetworkGivenAsJsonTextIsSentAsItIs()
    {
        await using var service = TestService.Start();
        using var client = service.Client();
        using var json = JsonDocument.Parse("""{ "name": "g", "graph": { "nodes": [ { "id": "x", "op": "input" }, { "id": "f", "op": "exp", "inputs": ["x"] } ], "output": "f" } }""");

        var created = await client.CreateNetworkAsync(json.RootElement);

        Assert.Equal("g", created.Name);
        Assert.Equal(["x", "f"], created.Graph!.Nodes.Select(n => n.Id));
    }

    [Fact]
    public async Task AnInvalidNetworkIsAValidationProblemWithItsFieldErrors()
    {
        await using var service = TestService.Start();
        using var client = service.Client();

        var error = await Assert.ThrowsAsync<BackpropApiException>(() => client.CreateNetworkAsync(Xor.Network with { Layers = [new LayerDefinition { Units = 0, Activation = "sigmoid" }] }));

        Assert.Equal(400, error.Status);
        Assert.False(string.IsNullOrWhiteSpace(error.Title));
        var field = Assert.Single(error.Errors, e => e.Key.StartsWith("layers[0]", StringComparison.Ordinal));
        Assert.NotEmpty(field.Value);
    }

    [Fact]
    public async Task AnUnknownNetworkOrDatasetIsANotFoundProblemWithADetail()
    {
        await using var service = TestService.Start();
        using var client = service.Client();

        var network = await Assert.ThrowsAsync<BackpropApiException>(() => client.GetNetworkAsync("missing"));
        var dataset = await Assert.ThrowsAsync<BackpropApiException>(() => client.GetDatasetAsync("missing"));

        Assert.Equal(404, network.Status);
        Assert.Contains("missing", network.Detail);
        Assert.Equal(404, dataset.Status);
    }

    [Fact]
    public async Task DatasetsAreCreatedFromJsonAndFromCsvAndListed()
    {
        await using var service = TestService.Start();
        using var client = service.Client();

        var fromJson = await client.CreateDatasetAsync(Xor.Dataset);
        var fromCsv = await client.CreateDatasetFromCsvAsync(Xor.Csv, ["y"], name: "xor.csv");
        var labelled = await client.CreateDatasetFromCsvAsync("x,kind\n0.1,cat\n0.9,dog\n0.5,cat\n", ["kind"]);

        Assert.Equal((4, 2, 1), (fromJson.Rows, fromJson.FeatureCount, fromJson.TargetCount));
        Assert.Equal(("xor.csv", 4, 2, 1), (fromCsv.Name, fromCsv.Rows, fromCsv.FeatureCount, fromCsv.TargetCount));
        Assert.Equal(["cat", "dog"], labelled.Classes!);
        Assert.Equal(fromCsv.Id, (await client.GetDatasetAsync(fromCsv.Id)).Id);
        Assert.Equal(3, (await client.ListDatasetsAsync()).Items.Count);
    }

    [Fact]
    public async Task ABadCsvIsAProblemNamingTheRowAndColumn()
    {
        await using var service = TestService.Start();
        using var client = service.Client();

        var error = await Assert.ThrowsAsync<BackpropApiException>(() => client.CreateDatasetFromCsvAsync("a,y\n0,1\nnope,0\n", ["y"]));

        Assert.Equal(400, error.Status);
        var text = error.Detail + string.Join(' ', error.Errors.SelectMany(e => e.Value));
        Assert.Contains("row", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AGraphIsEvaluatedWithItsGradientsAndLocalDerivatives()
    {
        await using var service = TestService.Start();
        using var client = service.Client();
        var request = new GraphEvaluationRequest
        {
            Graph = new GraphDefinition
            {
                Nodes =
                [
                    new NodeDefinition { Id = "x", Op = "input" },
                    new NodeDefinition { Id = "h", Op = "square", Inputs = ["x"] },
                    new NodeDefinition { Id = "g", Op = "sin", Inputs = ["h"] },
                    new NodeDefinition { Id = "f", Op = "exp", Inputs = ["g"] },
                ],
                Output = "f",
            },
            Inputs = new Dictionary<string, JsonElement> { ["x"] = JsonSerializer.SerializeToElement(0.5) },
        };

        var result = await client.EvaluateGraphAsync(request);

        var expected = Math.Exp(Math.Sin(0.25));
        Assert.Equal(expected, result.Value.GetDouble(), 1e-6);
        Assert.Equal(expected * Math.Cos(0.25) * 2 * 0.5, result.Gradients["x"].GetDouble(), 1e-6);
        Assert.Equal(1.0, result.Edges.Single(e => e.From == "x").LocalDerivative!.Value, 1e-9);
    }

    [Fact]
    public async Task AnInvalidGraphEvaluationIsAValidationProblem()
    {
        await using var service = TestService.Start();
        using var client = service.Client();
        var request = new GraphEvaluationRequest { Graph = new GraphDefinition { Nodes = [new NodeDefinition { Id = "f", Op = "exp", Inputs = ["nowhere"] }], Output = "f" } };

        var error = await Assert.ThrowsAsync<BackpropApiException>(() => client.EvaluateGraphAsync(request));

        Assert.Equal(400, error.Status);
        Assert.Contains("nowhere", error.Detail + string.Join(' ', error.Errors.SelectMany(e => e.Value)));
    }
}
