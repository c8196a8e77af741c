using System.Net;
using System.Text.Json.Nodes;

namespace BackpropService.Api.Tests.Sweeps;

/// <summary>Bad sweeps: a 400 problem naming the path of the bad value, and nothing created (no sweep, no job, no network).</summary>
public sealed class SweepValidationTests
{
    public static TheoryData<string, string> BadMembers => new()
    {
        { """ "grid": { "learningRat": [0.1] } """, "grid.learningRat" },
        { """ "grid": { "network": [{}] } """, "grid.network" },
        { """ "grid": { "learningRate": [0.1, 0.5, "fast"] } """, "grid.learningRate[2]" },
        { """ "grid": { "learningRate": [0.1, 0.5, -1] } """, "grid.learningRate[2]" },
        { """ "grid": { "seed": [] } """, "grid.seed" },
        { """ "grid": { "optimizer": ["sgd", "rmsprop"] } """, "grid.optimizer[1]" },
        { """ "random": { "count": 3, "space": { "learningRate": { "logUniform": [0, 1] } } } """, "random.space.learningRate.logUniform" },
        { """ "random": { "count": 3, "space": { "learningRate": { "logUniform": [1, 0.001] } } } """, "random.space.learningRate.logUniform" },
        { """ "random": { "count": 3, "space": { "momentum": { "uniform": [0.9, 0.5] } } } """, "random.space.momentum.uniform" },
        { """ "random": { "count": 3, "space": { "optimizer": { "uniform": [0, 1] } } } """, "random.space.optimizer.uniform" },
        { """ "random": { "count": 0, "space": { "momentum": { "uniform": [0.5, 0.9] } } } """, "random.count" },
        { """ "random": { "count": 3, "space": { "momentum": { "uniform": [0.5, 0.9], "choice": [0.5] } } } """, "random.space.momentum" },
        { """ "grid": { "seed": [1, 2] }, "random": { "count": 2, "space": { "seed": { "choice": [3] } } } """, "random.space.seed" },
        { """ "grid": { "seed": [1, 2, 3, 4] }, "random": { "count": 3, "space": { "momentum": { "uniform": [0.5, 0.9] } } } """, "random.count" },
        { """ "grid": { "batchSize": [2, 8] } """, "grid.batchSize[1]" },
        { """ "grid": { "earlyStopping": [{ "patience": 0 }] } """, "grid.earlyStopping[0].patience" },
        { """ "grid": { "seed": [1] }, "maxConcurrent": 0 """, "maxConcurrent" },
        { """ "grid": { "seed": [1] }, "metric": "accuracyy" """, "metric" },
        { """ "grid": { "seed": [1] }, "metric": "validationCost" """, "metric" },
        { """ "grid": { "seed": [1] }, "metric": "validationAccuracy" """, "metric" },
        { """ "grid": { "initialWeights": [{ "fromJob": "x" }] } """, "grid.initialWeights" },
    };

    [Theory]
    [MemberData(nameof(BadMembers))]
    public async Task ABadSweepIsA400NamingThePathAndCreatesNothing(string members, string path)
    {
        // At most 10 trials: the 12-trial sweep above is over the limit.
        await using var app = new BackpropApplication(settings: new Dictionary<string, string?> { ["Limits:MaxSweepTrials"] = "10" });
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        await AssertRejectedAsync(client, SweepClient.Xor(networkId, datasetId, 10, members.Trim()), path);
    }

    [Fact]
    public async Task AnInvalidBaseAndAVariedNetworkThatDoesNotFitTheDatasetAreNamed()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var wide = await client.CreateAsync("/api/networks", """
            { "name": "three inputs", "inputs": 3, "layers": [ { "units": 1, "activation": "sigmoid" } ], "loss": "binary_cross_entropy" }
            """);
        await AssertRejectedAsync(client, SweepClient.Xor(networkId, datasetId, 10, $$""" "grid": { "networkId": ["{{networkId}}", "{{wide}}"] } """), "grid.networkId[1]");
        await AssertRejectedAsync(client, SweepClient.Xor(networkId, datasetId, 10, """ "grid": { "networkId": ["no-such-network"] } """), "grid.networkId[0]");
        await AssertRejectedAsync(client, $$"""
            { "base": { "networkId": "{{networkId}}", "datasetId": "{{datasetId}}", "learningRate": 0.5 }, "grid": { "seed": [1, 2] } }
            """, "base.epochs");
        await AssertRejectedAsync(client, $$"""
            { "base": { "network": { "name": "bad", "inputs": 0, "layers": [] }, "datasetId": "{{datasetId}}", "epochs": 10, "learningRate": 0.5 },
              "grid": { "seed": [1, 2] } }
            """, "base.network.inputs");
        await AssertRejectedAsync(client, $$"""{ "base": { "networkId": "{{networkId}}", "datasetId": "{{datasetId}}", "epochs": 10, "learningRate": 0.5 } }""", "grid");
        await AssertRejectedAsync(client, $$"""
            { "base": { "networkId": "{{networkId}}", "datasetId": "{{datasetId}}", "epochs": 10, "learningRate": 0.5, "initialWeights": { "fromJob": "any" } },
              "grid": { "seed": [1, 2] } }
            """, "base.initialWeights");
        Assert.DoesNotContain((await client.GetJsonAsync("/api/networks"))["items"]!.AsArray(), n => n!["name"]!.GetValue<string>() == "bad");
    }

    private static async Task AssertRejectedAsync(HttpClient client, string json, string path)
    {
        var (status, body, response) = await client.SendAsync(HttpMethod.Post, "/api/sweeps", json);
        Assert.True(status == HttpStatusCode.BadRequest, $"expected 400 for {path}, got {(int)status}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = body!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(path), $"expected an error at {path}: {body}");
        Assert.Empty((await client.GetJsonAsync("/api/sweeps"))["items"]!.AsArray());
        Assert.Empty((await client.GetJsonAsync("/api/jobs"))["items"]!.AsArray());
    }
}
