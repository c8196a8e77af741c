using System.Text.Json.Nodes;

namespace BackpropService.Api.Tests.OpenApi;

public sealed class OpenApiDocumentTests
{
    private static readonly (string Method, string Path)[] ContractEndpoints =
    [
        ("post", "/api/networks"), ("get", "/api/networks"), ("get", "/api/networks/{id}"),
        ("post", "/api/datasets"), ("get", "/api/datasets"), ("get", "/api/datasets/{id}"),
        ("post", "/api/jobs"), ("get", "/api/jobs"), ("get", "/api/jobs/{id}"),
        ("get", "/api/jobs/{id}/history"), ("get", "/api/jobs/{id}/weights"), ("post", "/api/jobs/{id}/cancel"),
        ("post", "/api/jobs/{id}/predict"), ("post", "/api/jobs/{id}/explain"), ("get", "/api/jobs/{id}/graph"), ("post", "/api/graphs/evaluate"),
        ("get", "/health"),
    ];

    [Fact]
    public async Task DocumentListsEveryContractEndpointWithSummaryAndExample()
    {
        await using var app = new BackpropApplication();
        var document = await app.CreateClient().GetJsonAsync("/swagger/v1/swagger.json");
        var paths = document["paths"]!.AsObject();
        foreach (var (method, path) in ContractEndpoints)
        {
            Assert.True(paths.ContainsKey(path), $"missing path {path}");
            var operation = paths[path]![method];
            Assert.True(operation is not null, $"missing {method} {path}");
            Assert.False(string.IsNullOrWhiteSpace(operation!["summary"]?.GetValue<string>()), $"{method} {path} has no summary");
            Assert.True(HasExample(operation), $"{method} {path} has no example");
        }
    }

    [Fact]
    public async Task TheApiKeyIsASecuritySchemeThatEveryApiOperationRequires()
    {
        await using var app = new BackpropApplication();
        var document = await app.CreateClient().GetJsonAsync("/swagger/v1/swagger.json");
        var scheme = document["components"]!["securitySchemes"]!["ApiKey"]!;
        Assert.Equal("apiKey", scheme["type"]!.GetValue<string>());
        Assert.Equal("header", scheme["in"]!.GetValue<string>());
        Assert.Equal("X-Api-Key", scheme["name"]!.GetValue<string>());
        foreach (var (method, path) in ContractEndpoints)
        {
            var security = document["paths"]![path]![method]!["security"]?.AsArray();
            if (path.StartsWith("/api", StringComparison.Ordinal))
                Assert.True(security is [JsonObject requirement] && requirement.ContainsKey("ApiKey"), $"{method} {path}: {security?.ToJsonString() ?? "no security"}");
            else
                Assert.Null(security);
        }
    }

    [Fact]
    public async Task SwaggerUiIsServedAndCanBeTurnedOff()
    {
        await using (var app = new BackpropApplication())
        {
            var ui = await app.CreateClient().GetAsync("/swagger/index.html");
            Assert.True(ui.IsSuccessStatusCode);
        }
        await using var off = new BackpropApplication(settings: new Dictionary<string, string?> { ["Swagger:Enabled"] = "false" });
        var response = await off.CreateClient().GetAsync("/swagger/v1/swagger.json");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    private static bool HasExample(JsonNode operation) =>
        operation["responses"]!.AsObject().Any(r => r.Value?["content"]?.AsObject().Any(c => c.Value?["example"] is not null) == true);
}
