using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BackpropService.Reliability.Tests.Harness;

namespace BackpropService.Reliability.Tests.Admission;

/// <summary>Numbers are numbers: quoted numbers, "NaN"/"Infinity", duplicates and overflow to infinity are 400s, never coerced.</summary>
public sealed class StrictJsonTests
{
    [Theory]
    [InlineData("\"epochs\": \"100\", \"learningRate\": 0.5", "epochs")]
    [InlineData("\"epochs\": 100, \"learningRate\": \"NaN\"", "learningRate")]
    [InlineData("\"epochs\": 100, \"learningRate\": \"Infinity\"", "learningRate")]
    [InlineData("\"epochs\": 100, \"learningRate\": NaN", "learningRate")]
    [InlineData("\"epochs\": 100, \"learningRate\": 1e309", "learningRate")]
    [InlineData("\"epochs\": 100, \"epochs\": 5, \"learningRate\": 0.5", "epochs")]
    [InlineData("\"epochs\": 100.5, \"learningRate\": 0.5", "epochs")]
    public async Task CoercibleValuesAreRejectedWithAProblemNamingTheField(string members, string field)
    {
        await using var app = new InProcessService();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateNetworkAndDatasetAsync();
        using var response = await client.PostAsync("/api/jobs", new StringContent(
            $$"""{ "networkId": "{{networkId}}", "datasetId": "{{datasetId}}", {{members}} }""", Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(field, JsonNode.Parse(body)!["detail"]!.GetValue<string>() + body);
        Assert.Empty((await client.GetJsonAsync("/api/jobs"))["items"]!.AsArray());
    }
}
