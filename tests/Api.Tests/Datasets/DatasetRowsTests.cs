using System.Net;

namespace BackpropService.Api.Tests.Datasets;

/// <summary>GET /api/datasets/{id}/rows gives back the numbers that were uploaded (as float32), the first ?limit= rows.</summary>
public sealed class DatasetRowsTests
{
    [Fact]
    public async Task RowsComeBackAsUploadedUpToTheLimit()
    {
        await using var app = new BackpropApplication(settings: new Dictionary<string, string?> { ["Limits:MaxPredictRows"] = "3" });
        var client = app.CreateClient();
        var id = await client.CreateAsync("/api/datasets", """{ "name": "l", "features": [[0.1, 2], [3, -4], [5, 6], [7, 8]], "labels": [0, 1, 2, 1] }""");

        var page = await client.GetJsonAsync($"/api/datasets/{id}/rows?limit=2");
        Assert.Equal(4, page["rows"]!.GetValue<int>());
        Assert.Equal("[[0.10000000149011612,2],[3,-4]]", page["features"]!.ToJsonString());
        Assert.Equal("[[1,0,0],[0,1,0]]", page["targets"]!.ToJsonString());
        Assert.Equal(3, (await client.GetJsonAsync($"/api/datasets/{id}/rows"))["features"]!.AsArray().Count);

        var (status, problem, _) = await client.SendAsync(HttpMethod.Get, $"/api/datasets/{id}/rows?limit=4");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("between 1 and 3", problem!["errors"]!["limit"]![0]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Get, "/api/datasets/nope/rows")).Status);
    }
}
