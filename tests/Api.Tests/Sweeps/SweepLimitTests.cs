using System.Net;

namespace BackpropService.Api.Tests.Sweeps;

/// <summary>Limits:MaxSweepTrials: a sweep at the limit (10,000 by default) is admitted whole; one trial more is a 400 and nothing is created.</summary>
public sealed class SweepLimitTests
{
    [Fact]
    public async Task ASweepOfTenThousandTrialsIsAdmittedAndOneMoreIsRejected()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var (status, body, _) = await client.SendAsync(HttpMethod.Post, "/api/sweeps", SweepClient.Xor(networkId, datasetId, 10,
            """ "grid": { "learningRate": [0.1, 0.5] }, "random": { "count": 5001, "space": { "seed": { "uniform": [1, 1000000000] } } } """));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Limits:MaxSweepTrials", body!["errors"]!["random.count"]![0]!.GetValue<string>());

        var sweep = await client.CreateSweepAsync(SweepClient.Xor(networkId, datasetId, 10,
            """ "grid": { "learningRate": [0.1, 0.5] }, "random": { "count": 5000, "space": { "seed": { "uniform": [1, 1000000000] } } } """));
        Assert.Equal(10_000, SweepClient.Count(sweep, "total"));
        var counted = await client.GetSweepAsync(sweep["id"]!.GetValue<string>());
        Assert.Equal(10_000, SweepClient.Count(counted, "total"));
        Assert.Single((await client.GetJsonAsync("/api/sweeps"))["items"]!.AsArray());
        await client.SendAsync(HttpMethod.Post, $"/api/sweeps/{sweep["id"]!.GetValue<string>()}/cancel");
    }
}
