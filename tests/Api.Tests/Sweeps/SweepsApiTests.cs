using System.Net;
using System.Text.Json.Nodes;
using BackpropService.Api.Testing;

namespace BackpropService.Api.Tests.Sweeps;

/// <summary>A sweep end to end: its trials are ordinary jobs, its counts and status follow them, the leaderboard ranks them.</summary>
public sealed class SweepsApiTests
{
    [Fact]
    public async Task ASweepRunsEveryTrialAsAJobAndRanksThemOnTheLeaderboard()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        // Rate 0 never moves the weights: those two trials tie, and the earlier one ranks first.
        var created = await client.CreateSweepAsync(SweepClient.Xor(networkId, datasetId, 300,
            """ "grid": { "learningRate": [0.5, 0.000001, 2.0, 0.000001] } """));
        var sweepId = created["id"]!.GetValue<string>();
        Assert.Equal("queued", SweepClient.Status(created));
        Assert.Equal("cost", created["metric"]!.GetValue<string>());
        Assert.Equal(4, SweepClient.Count(created, "total"));

        var sweep = await client.WaitForSweepAsync(sweepId, SweepClient.Ended);
        Assert.Equal("succeeded", SweepClient.Status(sweep));
        Assert.Equal(4, SweepClient.Count(sweep, "succeeded"));
        Assert.NotNull(sweep["finishedAt"]);

        var trials = await client.TrialsAsync(sweepId, pageSize: 3);
        Assert.Equal(4, trials.Count);
        var values = trials.Select(t => t["value"]!.GetValue<double>()).ToList();
        Assert.Equal(values.Order(), values);
        // Each trial is an ordinary job of the sweep, its value its final cost, its params the varied field only.
        foreach (var trial in trials)
        {
            var job = await client.GetJobAsync(trial["jobId"]!.GetValue<string>());
            Assert.Equal(sweepId, job["sweepId"]!.GetValue<string>());
            Assert.Equal(job["cost"]!.GetValue<double>(), trial["value"]!.GetValue<double>());
            Assert.Equal(job["learningRate"]!.GetValue<double>(), trial["params"]!["learningRate"]!.GetValue<double>());
            Assert.Single(trial["params"]!.AsObject());
        }
        var slow = trials.Where(t => t["params"]!["learningRate"]!.GetValue<double>() == 0.000001).Select(t => t["jobId"]!.GetValue<string>()).ToList();
        Assert.Equal(slow.Order(StringComparer.Ordinal), slow);
        Assert.Equal(trials[0]["jobId"]!.GetValue<string>(), sweep["best"]!["jobId"]!.GetValue<string>());
        Assert.Equal(values[0], sweep["best"]!["value"]!.GetValue<double>());

        var list = (await client.GetJsonAsync("/api/sweeps"))["items"]!.AsArray();
        Assert.Equal(sweepId, Assert.Single(list)!["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await client.SendAsync(HttpMethod.Post, $"/api/sweeps/{sweepId}/cancel")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Get, "/api/sweeps/no-such-sweep")).Status);
    }

    [Fact]
    public async Task AnAccuracyMetricRanksTheHighestFirst()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        // Rate 0 leaves the initial weights (some XOR rows wrong); rate 2 for 3,000 epochs learns XOR (every row right).
        var created = await client.CreateSweepAsync(SweepClient.Xor(networkId, datasetId, 3000,
            """ "grid": { "learningRate": [0.000001, 2.0] }, "metric": "accuracy" """));
        var sweepId = created["id"]!.GetValue<string>();
        Assert.Equal("accuracy", created["metric"]!.GetValue<string>());

        var sweep = await client.WaitForSweepAsync(sweepId, SweepClient.Ended);
        var trials = await client.TrialsAsync(sweepId);
        var values = trials.Select(t => t["value"]!.GetValue<double>()).ToList();
        Assert.Equal(values.OrderDescending(), values);
        Assert.True(values[0] > values[1], $"the trained trial should rank first: {string.Join(", ", values)}");
        foreach (var trial in trials)
        {
            var job = await client.GetJobAsync(trial["jobId"]!.GetValue<string>());
            Assert.Equal(job["accuracy"]!.GetValue<double>(), trial["value"]!.GetValue<double>());
        }
        Assert.Equal(trials[0]["jobId"]!.GetValue<string>(), sweep["best"]!["jobId"]!.GetValue<string>());
    }

    [Fact]
    public async Task ALeaderboardListsEndedTrialsBestFirstThenUnfinishedOnesInCreationOrder()
    {
        await using var app = new BackpropApplication(settings: new Dictionary<string, string?> { ["Training:MaxConcurrentJobs"] = "1" });
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        string sweepId;
        using (var hold = EpochHold.Arm(app.InstanceName, 150))
        {
            // Three short trials end; the long one is held at epoch 150, the last two wait behind it.
            sweepId = (await client.CreateSweepAsync(SweepClient.Xor(networkId, datasetId, 100,
                """ "grid": { "epochs": [100, 20, 60, 400, 100, 100] } """)))["id"]!.GetValue<string>();
            var held = await hold.Reached.WaitAsync(TimeSpan.FromSeconds(60));
            var sweep = await client.WaitForSweepAsync(sweepId, s => SweepClient.Count(s, "succeeded") == 3);
            Assert.Equal("running", SweepClient.Status(sweep));
            Assert.Equal((1, 2), (SweepClient.Count(sweep, "running"), SweepClient.Count(sweep, "queued")));

            var trials = await client.TrialsAsync(sweepId, pageSize: 2);
            var ended = trials.Take(3).Select(t => t["value"]!.GetValue<double>()).ToList();
            Assert.Equal(ended.Order(), ended);
            // A longer run of the same job ends lower: 100 < 60 < 20 epochs by cost.
            Assert.Equal([100, 60, 20], trials.Take(3).Select(t => t["params"]!["epochs"]!.GetValue<int>()));
            Assert.Equal(["running", "queued", "queued"], trials.Skip(3).Select(t => t["status"]!.GetValue<string>()));
            Assert.Equal(held, trials[3]["jobId"]!.GetValue<string>());
            var unfinished = trials.Skip(3).Select(t => t["jobId"]!.GetValue<string>()).ToList();
            Assert.Equal(unfinished.Order(StringComparer.Ordinal), unfinished);

            var cancelled = await client.SendAsync(HttpMethod.Post, $"/api/sweeps/{sweepId}/cancel");
            Assert.Equal(HttpStatusCode.Accepted, cancelled.Status);
            Assert.Equal("cancelled", SweepClient.Status(cancelled.Body!));
        }
        var after = await client.WaitForSweepAsync(sweepId, s => SweepClient.Count(s, "running") == 0);
        Assert.Equal("cancelled", SweepClient.Status(after));
        Assert.Equal((3, 3), (SweepClient.Count(after, "succeeded"), SweepClient.Count(after, "cancelled")));
        Assert.Equal(HttpStatusCode.Conflict, (await client.SendAsync(HttpMethod.Post, $"/api/sweeps/{sweepId}/cancel")).Status);
    }

    [Fact]
    public async Task ARetryWithTheSameIdempotencyKeyGetsTheSameSweepAndADifferentRequestIsA422()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var json = SweepClient.Xor(networkId, datasetId, 10, """ "grid": { "seed": [1, 2, 3] } """);
        async Task<(HttpStatusCode, JsonNode?, HttpResponseMessage)> PostAsync(string body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sweeps") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Add("Idempotency-Key", "sweep-key-1");
            var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, JsonNode.Parse(text), response);
        }
        var (firstStatus, first, _) = await PostAsync(json);
        var (againStatus, again, againResponse) = await PostAsync(json);
        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (firstStatus, againStatus));
        Assert.Equal(first!["id"]!.GetValue<string>(), again!["id"]!.GetValue<string>());
        Assert.Equal("true", againResponse.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PostAsync(json.Replace("[1, 2, 3]", "[4]"))).Item1);
        Assert.Single((await client.GetJsonAsync("/api/sweeps"))["items"]!.AsArray());
        Assert.Equal(3, (await client.GetJsonAsync("/api/jobs"))["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task AnInlineBaseNetworkAndDatasetAreCreatedOnceForAllTrials()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var sweep = await client.CreateSweepAsync($$"""
            { "base": { "network": {{ApiClient.XorNetwork}}, "dataset": {{ApiClient.XorDataset}}, "epochs": 10, "learningRate": 0.5 },
              "random": { "count": 5, "seed": 3, "space": { "learningRate": { "logUniform": [0.01, 1] } } } }
            """);
        Assert.Equal(5, SweepClient.Count(sweep, "total"));
        Assert.Single((await client.GetJsonAsync("/api/networks"))["items"]!.AsArray());
        Assert.Single((await client.GetJsonAsync("/api/datasets"))["items"]!.AsArray());
        await client.WaitForSweepAsync(sweep["id"]!.GetValue<string>(), SweepClient.Ended);
    }
}
