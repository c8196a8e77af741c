using System.Net;

namespace BackpropService.Api.Tests.Jobs;

public sealed class InlineJobTests
{
    [Fact]
    public async Task JobWithInlineNetworkAndDatasetTrains()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (status, job, _) = await client.SendAsync(HttpMethod.Post, "/api/jobs",
            $$"""{ "network": {{ApiClient.XorNetwork}}, "dataset": {{ApiClient.XorDataset}}, "epochs": 50, "learningRate": 0.1, "optimizer": "adam" }""");
        Assert.Equal(HttpStatusCode.Accepted, status);
        var id = job!["id"]!.GetValue<string>();
        var done = await client.WaitForStatusAsync(id, "succeeded");
        Assert.Equal("succeeded", done["status"]!.GetValue<string>());
        await client.GetJsonAsync($"/api/networks/{done["networkId"]!.GetValue<string>()}");
        await client.GetJsonAsync($"/api/datasets/{done["datasetId"]!.GetValue<string>()}");
    }

    [Fact]
    public async Task TargetCostStopsEarly()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var id = await client.CreateJobAsync(networkId, datasetId, 200000, 0.5, """, "targetCost": 0.5""");
        var job = await client.WaitForStatusAsync(id, "succeeded");
        Assert.Equal("succeeded", job["status"]!.GetValue<string>());
        Assert.True(job["epochsCompleted"]!.GetValue<int>() < 200000);
        Assert.True(job["cost"]!.GetValue<double>() <= 0.5);
    }
}
