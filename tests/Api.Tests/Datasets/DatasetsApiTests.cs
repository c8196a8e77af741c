using System.Net;

namespace BackpropService.Api.Tests.Datasets;

public sealed class DatasetsApiTests
{
    [Fact]
    public async Task CsvWithLabelColumnIsOneHotEncodedAndKeepsClassNames()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        const string csv = "sepal,petal,species\n5.1,1.4,setosa\n7.0,4.7,versicolor\n6.3,6.0,virginica\n4.9,1.4,setosa\n";
        var (status, body, response) = await client.SendAsync(HttpMethod.Post, "/api/datasets?target=species&name=iris-mini", csv, "text/csv");
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.StartsWith("/api/datasets/", response.Headers.Location!.OriginalString);
        Assert.Equal("iris-mini", body!["name"]!.GetValue<string>());
        Assert.Equal(4, body["rows"]!.GetValue<int>());
        Assert.Equal(2, body["featureCount"]!.GetValue<int>());
        Assert.Equal(3, body["targetCount"]!.GetValue<int>());
        Assert.Equal(new[] { "setosa", "versicolor", "virginica" }, body["classes"]!.AsArray().Select(c => c!.GetValue<string>()));

        var fetched = await client.GetJsonAsync($"/api/datasets/{body["id"]!.GetValue<string>()}");
        Assert.Equal(3, fetched["classes"]!.AsArray().Count);
    }

    [Fact]
    public async Task CsvWithSeveralNumericTargetsAndQuotedHeaders()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        const string csv = "\"a\",b,y1,y2\r\n1,2,3,4\r\n5,6,7,8\r\n";
        var (status, body, _) = await client.SendAsync(HttpMethod.Post, "/api/datasets?target=y1&target=y2", csv, "text/csv");
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(2, body!["featureCount"]!.GetValue<int>());
        Assert.Equal(2, body["targetCount"]!.GetValue<int>());
        Assert.Null(body["classes"]);
    }

    [Fact]
    public async Task CsvErrorNamesTheRowAndColumn()
    {
        await using var app = new BackpropApplication();
        var (status, body, _) = await app.CreateClient().SendAsync(HttpMethod.Post, "/api/datasets?target=y", "x,y\n1,0\n2,0\noops,1\n", "text/csv");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var detail = body!["detail"]!.GetValue<string>();
        Assert.Contains("Line 4", detail);
        Assert.Contains("'x'", detail);
    }

    [Fact]
    public async Task JsonLabelsAreOneHotEncoded()
    {
        await using var app = new BackpropApplication();
        var (status, body, _) = await app.CreateClient().SendAsync(HttpMethod.Post, "/api/datasets",
            """{ "name": "three", "features": [[0],[1],[2]], "labels": [0, 2, 1] }""");
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(3, body!["targetCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task TooManyRowsIsRejectedNamingTheLimit()
    {
        await using var app = new BackpropApplication(settings: new Dictionary<string, string?> { ["Limits:MaxDatasetRows"] = "3" });
        var (status, body, _) = await app.CreateClient().SendAsync(HttpMethod.Post, "/api/datasets", ApiClient.XorDataset);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("MaxDatasetRows", body!["detail"]!.GetValue<string>());
    }
}
