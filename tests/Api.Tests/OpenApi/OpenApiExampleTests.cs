using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests.OpenApi;

/// <summary>What Swagger UI shows works as shown: request examples succeed on an empty service, summaries are the endpoints' own.</summary>
public sealed class OpenApiExampleTests
{
    [Fact]
    public async Task TheCreateExamplesSucceedAsTheyStandOnAnEmptyService()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var document = await client.GetJsonAsync("/swagger/v1/swagger.json");
        foreach (var path in new[] { "/api/networks", "/api/datasets", "/api/jobs" })
        {
            var example = document["paths"]![path]!["post"]!["requestBody"]!["content"]!["application/json"]!["example"]!;
            var (status, body, _) = await client.SendAsync(HttpMethod.Post, path, example.ToJsonString());
            Assert.True(status is HttpStatusCode.Created or HttpStatusCode.Accepted, $"POST {path} example → {(int)status} {body}");
        }

        // The CSV upload's example is CSV text (not the JSON schema) with the query parameters it needs.
        var datasets = document["paths"]!["/api/datasets"]!["post"]!;
        var csv = datasets["requestBody"]!["content"]!["text/csv"]!;
        Assert.Equal("string", csv["schema"]!["type"]!.GetValue<string>());
        var query = string.Join("&", datasets["parameters"]!.AsArray()
            .Where(p => p!["example"] is not null).Select(p => $"{p!["name"]}={Uri.EscapeDataString(p["example"]!.GetValue<string>())}"));
        var (csvStatus, csvBody, _) = await client.SendAsync(HttpMethod.Post, $"/api/datasets?{query}", csv["example"]!.GetValue<string>(), "text/csv");
        Assert.True(csvStatus == HttpStatusCode.Created, $"CSV example ?{query} → {(int)csvStatus} {csvBody}");
    }

    [Fact]
    public async Task EverySummaryIsTheEndpointsOwnAndEveryJobFieldIsDescribed()
    {
        await using var app = new BackpropApplication();
        var document = await app.CreateClient().GetJsonAsync("/swagger/v1/swagger.json");
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        var checkedCount = 0;
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Metadata.GetMetadata<IEndpointSummaryMetadata>() is not { } summary) continue;
            var path = "/" + endpoint.RoutePattern.RawText!.Trim('/');
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
            {
                var operation = document["paths"]?[path]?[method.ToLowerInvariant()];
                if (operation is null) continue;
                Assert.Equal(summary.Summary, operation["summary"]?.GetValue<string>());
                checkedCount++;
            }
        }
        Assert.True(checkedCount > 15, $"only {checkedCount} operations compared");

        var fields = document["components"]!["schemas"]!["CreateJobRequest"]!["properties"]!.AsObject();
        Assert.All(fields, f => Assert.False(string.IsNullOrWhiteSpace(f.Value?["description"]?.GetValue<string>()), $"{f.Key} has no description"));
    }
}
