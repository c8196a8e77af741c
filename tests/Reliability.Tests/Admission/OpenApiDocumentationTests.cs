using System.Text.Json.Nodes;
using BackpropService.Reliability.Tests.Harness;

namespace BackpropService.Reliability.Tests.Admission;

/// <summary>Swagger describes the Idempotency-Key header and the 401/422/429/503 answers this part adds.</summary>
public sealed class OpenApiDocumentationTests
{
    [Fact]
    public async Task CreateJobDocumentsItsIdempotencyKeyAndLimitsAnswers()
    {
        await using var app = new InProcessService();
        var document = await app.CreateClient().GetJsonAsync("/swagger/v1/swagger.json");
        var create = document["paths"]!["/api/jobs"]!["post"]!;
        Assert.Contains(create["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "Idempotency-Key" && p["in"]!.GetValue<string>() == "header");
        foreach (var status in new[] { "401", "422", "429", "503" })
            Assert.NotNull(create["responses"]![status]);
        Assert.NotNull(document["paths"]!["/api/graphs/evaluate"]!["post"]!["responses"]!["429"]);
        Assert.Null(document["paths"]!["/health"]!["get"]!["responses"]!["401"]);
    }
}
