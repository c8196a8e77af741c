using System.Net;
using System.Text.Json.Nodes;

namespace BackpropService.Api.Tests.Errors;

/// <summary>Errors in the client's words: no .NET type names, and "did you mean" for a member that is nearly right.</summary>
public sealed class ClientLanguageTests(ClientLanguageTests.SharedApplication shared) : IClassFixture<ClientLanguageTests.SharedApplication>
{
    /// <summary>Every case is rejected before anything is stored, so the cases can share one application.</summary>
    public sealed class SharedApplication : IAsyncLifetime
    {
        public BackpropApplication App { get; } = new();

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync() => await App.DisposeAsync();
    }

    public static TheoryData<string, string?> Malformed() => new()
    {
        // url, body (null: GET)
        { "/api/jobs?limit=abc", null },
        { "/api/networks?limit=1.5", null },
        { "/api/jobs/x/history?after=zero", null },
        { "/api/jobs", """{ "networkId": 5 }""" },
        { "/api/jobs", """{ "networkId": "n", "datasetId": "d", "epochs": 1.5 }""" },
        { "/api/jobs", """{ "networkId": "n", "datasetId": "d", "seed": -1 }""" },
        { "/api/jobs", """{ "network": [1, 2] }""" },
        { "/api/jobs", """{ "shuffle": "yes" }""" },
        { "/api/jobs", "null" },
        { "/api/jobs", "\"text\"" },
        { "/api/networks", """{ "inputs": 2, "layers": [1], "loss": "mse" }""" },
        { "/api/networks", """{ "inputs": 2, "layers": { "units": 1 }, "loss": "mse" }""" },
        { "/api/networks", """{ "inputs": 2, "layers": [ { "units": "one" } ], "loss": "mse" }""" },
        { "/api/networks", """{ "inputs": 2, "layers": [ { "units": 1, "weights": [1] } ], "loss": "mse" }""" },
        { "/api/networks", """{ "inputs": 2, "layers": [ { "units": 1, "unit": 1 } ], "loss": "mse" }""" },
        { "/api/networks", """{ "graph": { "nodes": [ { "id": 1 } ] } }""" },
        { "/api/networks", """{ "graph": { "nodes": [ { "id": "x", "shape": [1.5] } ] } }""" },
        { "/api/networks", """{ "graph": { "nodes": [ { "id": "x", "inputs": "y" } ] } }""" },
        { "/api/networks", """{ "graph": 3 }""" },
        { "/api/networks", """{ "name": null, "name": "twice" }""" },
        { "/api/datasets", """{ "features": [[0, 1]], "labels": [0.5] }""" },
        { "/api/datasets", """{ "features": [0, 1], "targets": [[0]] }""" },
        { "/api/datasets", """{ "features": [[true]], "targets": [[0]] }""" },
        { "/api/graphs/evaluate", """{ "graph": { "nodes": [] }, "inputs": [1] }""" },
        { "/api/graphs/evaluate", """{ "graph": { "nodes": [] }, "parameters": { "w": { } } }""" },
        { "/api/graphs/evaluate", """{ "root": 1 }""" },
        { "/api/jobs/x/predict", """{ "inputs": [[ "a" ]] }""" },
        { "/api/jobs/x/predict", """{ "inputs": 1 }""" },
        { "/api/jobs/x/explain", """{ "inputs": [[ "a" ]] }""" },
        { "/api/jobs/x/explain", """{ "inputs": [[0]], "steps": 1.5, "method": 3 }""" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task ProblemsNameNoDotNetTypes(string url, string? body)
    {
        var app = shared.App;
        var method = body is null ? HttpMethod.Get : HttpMethod.Post;
        var (status, problem, _) = await app.CreateClient().SendAsync(method, url, body);
        Assert.True((int)status is >= 400 and < 500, $"{method} {url} → {(int)status}: {problem}");
        ClientWords.AssertNoTypeNames(problem!.ToJsonString(), $"{method} {url} {body}");
    }

    [Theory]
    [InlineData("/api/jobs", """{ "networkId": "n", "datasetId": "d", "learning_rate": 0.5 }""", "learning_rate", "learningRate")]
    [InlineData("/api/jobs", """{ "networkId": "n", "datasetId": "d", "Learning_Rate": 0.5 }""", "Learning_Rate", "learningRate")]
    [InlineData("/api/jobs", """{ "networkId": "n", "datasetId": "d", "lerningRate": 0.5 }""", "lerningRate", "learningRate")]
    [InlineData("/api/jobs", """{ "networkId": "n", "datasetId": "d", "batch-size": 2 }""", "batch-size", "batchSize")]
    [InlineData("/api/networks", """{ "inputs": 2, "layers": [ { "unit": 1 } ], "loss": "mse" }""", "unit", "units")]
    [InlineData("/api/graphs/evaluate", """{ "graph": { "nodes": [], "outptu": "x" } }""", "outptu", "output")]
    public async Task AnUnknownMemberNearAKnownOneGetsDidYouMean(string url, string body, string unknown, string meant)
    {
        var app = shared.App;
        var (status, problem, _) = await app.CreateClient().SendAsync(HttpMethod.Post, url, body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var detail = problem!["detail"]!.GetValue<string>();
        Assert.Contains($"'{unknown}' is not a member", detail);
        Assert.Contains($"Did you mean '{meant}'?", detail);
        ClientWords.AssertNoTypeNames(detail, url);
    }

    [Fact]
    public async Task AnUnknownMemberFarFromEveryKnownOneGetsNoGuessButTheKnownMembers()
    {
        var app = shared.App;
        var (status, problem, _) = await app.CreateClient().SendAsync(HttpMethod.Post, "/api/networks",
            """{ "inputs": 2, "layers": [ { "units": 1, "colour": "red" } ], "loss": "mse" }""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var detail = problem!["detail"]!.GetValue<string>();
        Assert.DoesNotContain("Did you mean", detail);
        Assert.Contains("Known members: units, activation, init, weights, bias.", detail);
        Assert.NotNull(problem["errors"]!.AsObject().Single().Value);
    }

    [Fact]
    public async Task AQueryParameterOfTheWrongTypeIsNamedInContractWords()
    {
        var app = shared.App;
        var (status, problem, _) = await app.CreateClient().SendAsync(HttpMethod.Get, "/api/jobs?limit=abc");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("'limit' must be an integer; got \"abc\".", problem!["detail"]!.GetValue<string>());
    }
}
