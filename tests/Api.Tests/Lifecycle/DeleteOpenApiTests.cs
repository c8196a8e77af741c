namespace BackpropService.Api.Tests.Lifecycle;

/// <summary>Swagger documents the three DELETE routes with their 204, 404 and 409.</summary>
public sealed class DeleteOpenApiTests
{
    [Fact]
    public async Task EachDeleteRouteIsDocumentedWith204And404And409()
    {
        await using var app = new BackpropApplication();
        var paths = (await app.CreateClient().GetJsonAsync("/swagger/v1/swagger.json"))["paths"]!;
        foreach (var path in new[] { "/api/networks/{id}", "/api/datasets/{id}", "/api/jobs/{id}" })
        {
            var operation = paths[path]?["delete"];
            Assert.True(operation is not null, $"no DELETE {path}");
            Assert.False(string.IsNullOrWhiteSpace(operation!["summary"]?.GetValue<string>()), $"DELETE {path} has no summary");
            // 401 and 503 are documented on every route by the security and reliability filters.
            var responses = operation["responses"]!.AsObject().Select(r => r.Key).Order();
            Assert.Equal(["204", "401", "404", "409", "503"], responses);
            Assert.NotNull(operation["responses"]!["409"]!["content"]?["application/problem+json"]);
        }
    }
}
