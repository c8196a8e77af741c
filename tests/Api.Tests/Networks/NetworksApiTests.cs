using System.Net;

namespace BackpropService.Api.Tests.Networks;

public sealed class NetworksApiTests
{
    [Fact]
    public async Task LayeredNetworkIsCompiledToAGraph()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (status, body, response) = await client.SendAsync(HttpMethod.Post, "/api/networks", ApiClient.XorNetwork);
        Assert.Equal(HttpStatusCode.Created, status);
        var id = body!["id"]!.GetValue<string>();
        Assert.Equal($"/api/networks/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal(2, body["inputs"]!.GetValue<int>());
        Assert.Equal(1, body["outputs"]!.GetValue<int>());
        Assert.Equal(9, body["parameterCount"]!.GetValue<long>());
        Assert.NotEmpty(body["graph"]!["edges"]!.AsArray());

        var fetched = await client.GetJsonAsync($"/api/networks/{id}");
        Assert.Equal(body["graph"]!.ToJsonString(), fetched["graph"]!.ToJsonString());
        var list = await client.GetJsonAsync("/api/networks");
        Assert.Equal(id, list["items"]![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task GraphErrorsNameTheNode()
    {
        await using var app = new BackpropApplication();
        var (status, body, _) = await app.CreateClient().SendAsync(HttpMethod.Post, "/api/networks", """
            { "graph": { "nodes": [ { "id": "x", "op": "input" }, { "id": "f", "op": "exp", "inputs": ["ghost"] } ], "output": "f" } }
            """);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("graph.nodes[1]", body!["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task TooManyParametersIsRejectedNamingTheLimit()
    {
        await using var app = new BackpropApplication();
        var (status, body, _) = await app.CreateClient().SendAsync(HttpMethod.Post, "/api/networks",
            """{ "inputs": 65536, "layers": [ { "units": 65536, "activation": "relu" } ], "loss": "mse" }""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("MaxParameters", body!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task MissingActivationAndLossListTheEnginesNames()
    {
        await using var app = new BackpropApplication();
        var (status, body, _) = await app.CreateClient().SendAsync(HttpMethod.Post, "/api/networks",
            """{ "inputs": 2, "layers": [ { "units": 1 } ] }""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = body!["errors"]!;
        Assert.Equal("is required: binary_cross_entropy, cross_entropy or mse.", errors["loss"]![0]!.GetValue<string>());
        Assert.Equal("is required: sigmoid, tanh, relu, leaky_relu, softmax or identity.",
            errors["layers[0].activation"]![0]!.GetValue<string>());
    }
}
