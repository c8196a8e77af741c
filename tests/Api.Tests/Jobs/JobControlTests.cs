using System.Net;

namespace BackpropService.Api.Tests.Jobs;

/// <summary>learningRateSchedule, clipGradNorm and earlyStopping on the wire: 400s by path, the job's currentLearningRate and schedule.</summary>
public sealed class JobControlTests
{
    [Theory]
    [InlineData("""{ "type": "linear" }""", "learningRateSchedule.type")]
    [InlineData("""{ "type": "step", "stepSize": 0, "gamma": 0.5 }""", "learningRateSchedule.stepSize")]
    [InlineData("""{ "type": "exponential", "gamma": 0 }""", "learningRateSchedule.gamma")]
    [InlineData("""{ "type": "cosine", "warmupEpochs": 11 }""", "learningRateSchedule.warmupEpochs")]
    [InlineData("""{ "type": "cosine", "minLearningRate": 0.6 }""", "learningRateSchedule.minLearningRate")]
    public async Task BadSchedulesAreA400NamingThePathAndCreateNothing(string schedule, string path) =>
        await AssertRejected($$""", "learningRateSchedule": {{schedule}}""", path);

    [Theory]
    [InlineData(""", "clipGradNorm": 0""", "clipGradNorm")]
    [InlineData(""", "earlyStopping": { "patience": 0 }""", "earlyStopping.patience")]
    [InlineData(""", "earlyStopping": { "patience": 5, "minDelta": -1 }""", "earlyStopping.minDelta")]
    [InlineData(""", "earlyStopping": { "patience": 5, "metric": "validationCost" }""", "earlyStopping.metric")]
    public async Task BadClippingAndEarlyStoppingAreA400NamingThePath(string extra, string path) => await AssertRejected(extra, path);

    [Fact]
    public async Task CurrentLearningRateIsNullBeforeTheFirstEpochThenTheLastEpochsRate()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var (status, created, _) = await client.SendAsync(HttpMethod.Post, "/api/jobs",
            $$"""
            { "networkId": "{{networkId}}", "datasetId": "{{datasetId}}", "epochs": 10, "learningRate": 0.5, "seed": 1,
              "learningRateSchedule": { "type": "exponential", "gamma": 0.5 }, "clipGradNorm": 1,
              "earlyStopping": { "patience": 1000 } }
            """);
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Null(created!["currentLearningRate"]);
        Assert.Equal(0.5, created["learningRate"]!.GetValue<double>());

        var done = await client.WaitForStatusAsync(created["id"]!.GetValue<string>(), "succeeded");
        Assert.Equal("succeeded", done["status"]!.GetValue<string>());
        Assert.Equal(0.5 * Math.Pow(0.5, 9), done["currentLearningRate"]!.GetValue<double>());
    }

    [Fact]
    public async Task TheJobObjectCarriesTheScheduleAsRequestedAndNullWithoutOne()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var (_, scheduled, _) = await client.SendAsync(HttpMethod.Post, "/api/jobs",
            $$"""
            { "networkId": "{{networkId}}", "datasetId": "{{datasetId}}", "epochs": 10, "learningRate": 0.5,
              "learningRateSchedule": { "type": "cosine", "minLearningRate": 0.05, "warmupEpochs": 2 } }
            """);
        var (_, plain, _) = await client.SendAsync(HttpMethod.Post, "/api/jobs",
            $$"""{ "networkId": "{{networkId}}", "datasetId": "{{datasetId}}", "epochs": 10, "learningRate": 0.5 }""");

        // The page draws every epoch's rate from these (with learningRate and epochs): as created, read back and listed.
        var id = scheduled!["id"]!.GetValue<string>();
        var read = await client.GetJsonAsync($"/api/jobs/{id}");
        var listed = (await client.GetJsonAsync("/api/jobs"))["items"]!.AsArray().Single(j => j!["id"]!.GetValue<string>() == id)!;
        foreach (var job in new[] { scheduled, read, listed })
        {
            var schedule = job["learningRateSchedule"]!;
            Assert.Equal("cosine", schedule["type"]!.GetValue<string>());
            Assert.Equal(0.05, schedule["minLearningRate"]!.GetValue<double>());
            Assert.Equal(2, schedule["warmupEpochs"]!.GetValue<int>());
        }
        Assert.Null(plain!["learningRateSchedule"]);
    }

    private static async Task AssertRejected(string extra, string path)
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var (status, body, _) = await client.SendAsync(HttpMethod.Post, "/api/jobs",
            $$"""{ "networkId": "{{networkId}}", "datasetId": "{{datasetId}}", "epochs": 10, "learningRate": 0.5 {{extra}} }""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal([path], body!["errors"]!.AsObject().Select(p => p.Key));
        Assert.Empty((await client.GetJsonAsync("/api/jobs"))["items"]!.AsArray());
    }
}
