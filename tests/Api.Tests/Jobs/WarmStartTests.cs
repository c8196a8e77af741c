using System.Net;
using System.Text.Json.Nodes;
using BackpropService.Api.Testing;

namespace BackpropService.Api.Tests.Jobs;

/// <summary>
/// <c>initialWeights: { fromJob }</c>: a warm start continues from the source job's weights bit for bit, is
/// deterministic, survives the source's deletion after admission, and is refused (400/404/409) before queueing when
/// the source does not fit, does not exist, belongs to someone else or has no weights.
/// </summary>
public sealed class WarmStartTests
{
    private static string From(string jobId) => $$""", "initialWeights": { "fromJob": "{{jobId}}" }""";

    [Fact]
    public async Task FullBatchSgdFromAJobsWeightsContinuesItsRunBitForBitAndTheSameSeedGivesTheSameBits()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var source = await client.CreateJobAsync(networkId, datasetId, 100);
        var longer = await client.CreateJobAsync(networkId, datasetId, 150);
        await client.WaitForStatusAsync(source, "succeeded");

        var warm = await client.CreateJobAsync(networkId, datasetId, 50, extra: From(source));
        var again = await client.CreateJobAsync(networkId, datasetId, 50, extra: From(source));
        Assert.Equal(source, (await client.GetJobAsync(warm))["initialWeights"]!["fromJob"]!.GetValue<string>());
        await client.WaitForStatusAsync(warm, "succeeded");
        await client.WaitForStatusAsync(again, "succeeded");
        await client.WaitForStatusAsync(longer, "succeeded");

        // Stateless full-batch SGD: 50 epochs from epoch 100's weights are epochs 101..150 of one run, to the bit.
        var continued = (await client.HistoryAsync(longer)).Skip(100).Select(p => p.CostBits);
        Assert.Equal(continued, (await client.HistoryAsync(warm)).Select(p => p.CostBits));
        Assert.Equal(await client.WeightsAsync(longer), await client.WeightsAsync(warm));
        Assert.Equal(await client.HistoryAsync(warm), await client.HistoryAsync(again));
        Assert.Equal(await client.WeightsAsync(warm), await client.WeightsAsync(again));
        Assert.Null((await client.GetJobAsync(source))["initialWeights"]);
    }

    [Fact]
    public async Task TheWeightsAreCopiedAtAdmissionSoDeletingTheSourceBeforeTheJobStartsChangesNothing()
    {
        await using var app = new BackpropApplication(settings: new Dictionary<string, string?> { ["Training:MaxConcurrentJobs"] = "1" });
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var source = await client.CreateJobAsync(networkId, datasetId, 100);
        var longer = await client.CreateJobAsync(networkId, datasetId, 150);
        await client.WaitForStatusAsync(source, "succeeded");
        await client.WaitForStatusAsync(longer, "succeeded");

        string warm;
        using (var hold = EpochHold.Arm(app.InstanceName, 2))
        {
            // The one training slot is held by a blocker, so the warm job stays queued while its source is deleted.
            var blocker = await client.CreateJobAsync(networkId, datasetId, 10);
            Assert.Equal(blocker, await hold.Reached.WaitAsync(TimeSpan.FromSeconds(60)));
            warm = await client.CreateJobAsync(networkId, datasetId, 50, extra: From(source));
            Assert.Equal("queued", JobClient.Status(await client.GetJobAsync(warm)));
            Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(HttpMethod.Delete, $"/api/jobs/{source}")).Status);
        }

        var job = await client.WaitForFinishAsync(warm);
        Assert.Equal("succeeded", JobClient.Status(job));
        Assert.Equal(source, job["initialWeights"]!["fromJob"]!.GetValue<string>());
        Assert.Equal(await client.WeightsAsync(longer), await client.WeightsAsync(warm));
    }

    [Fact]
    public async Task AShapeMismatchIsA400NamingTheFirstMismatchedParameterAndNothingIsQueued()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var source = await client.CreateJobAsync(networkId, datasetId, 5);
        await client.WaitForStatusAsync(source, "succeeded");
        var wider = await client.CreateAsync("/api/networks", ApiClient.XorNetwork.Replace("\"units\": 2", "\"units\": 3"));

        var (status, problem, _) = await client.SendAsync(HttpMethod.Post, "/api/jobs",
            $$"""{ "networkId": "{{wider}}", "datasetId": "{{datasetId}}", "epochs": 5, "learningRate": 0.5 {{From(source)}} }""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal($"parameter \"layers.0.weights\" has shape [2,2] in job {source} but [2,3] here.",
            problem!["errors"]!["initialWeights"]![0]!.GetValue<string>());
        Assert.StartsWith("initialWeights: parameter \"layers.0.weights\"", problem["detail"]!.GetValue<string>());
        var jobs = (await client.GetJsonAsync("/api/jobs"))["items"]!.AsArray();
        Assert.Equal([source], jobs.Select(j => j!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AGraphNetworkWithOtherParameterNamesIsA400NamingTheMissingOne()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var source = await client.CreateJobAsync(networkId, datasetId, 5);
        await client.WaitForStatusAsync(source, "succeeded");
        var graph = """
            { "name": "linear", "graph": { "nodes": [
                { "id": "x", "op": "input", "shape": [2] }, { "id": "y", "op": "target", "shape": [1] },
                { "id": "w", "op": "parameter", "shape": [2, 1] }, { "id": "xw", "op": "matmul", "inputs": ["x", "w"] },
                { "id": "p", "op": "sigmoid", "inputs": ["xw"] }, { "id": "loss", "op": "binary_cross_entropy", "inputs": ["p", "y"] } ],
              "output": "p", "loss": "loss" } }
            """;
        var graphId = await client.CreateAsync("/api/networks", graph);

        var (status, problem, _) = await client.SendAsync(HttpMethod.Post, "/api/jobs",
            $$"""{ "networkId": "{{graphId}}", "datasetId": "{{datasetId}}", "epochs": 5, "learningRate": 0.5 {{From(source)}} }""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith($"parameter \"w\" of this network is not in job {source}", problem!["errors"]!["initialWeights"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task AMissingSourceIs404AndAnEmptyIdIs400()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();

        var (status, problem, _) = await client.SendAsync(HttpMethod.Post, "/api/jobs",
            $$"""{ "networkId": "{{networkId}}", "datasetId": "{{datasetId}}", "epochs": 5, "learningRate": 0.5 {{From("no-such-job")}} }""");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("initialWeights.fromJob: job 'no-such-job' does not exist.", problem!["detail"]!.GetValue<string>());

        (status, problem, _) = await client.SendAsync(HttpMethod.Post, "/api/jobs",
            $$"""{ "networkId": "{{networkId}}", "datasetId": "{{datasetId}}", "epochs": 5, "learningRate": 0.5, "initialWeights": {} }""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(problem!["errors"]!["initialWeights.fromJob"]);
    }

    [Fact]
    public async Task ASourceWithoutWeightsYetIs409()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        using var hold = EpochHold.Arm(app.InstanceName, 1);
        // Held before its first epoch is buffered: no checkpoint, so no weights, until released.
        var source = await client.CreateJobAsync(networkId, datasetId, 10);
        Assert.Equal(source, await hold.Reached.WaitAsync(TimeSpan.FromSeconds(60)));

        var (status, problem, _) = await client.SendAsync(HttpMethod.Post, "/api/jobs",
            $$"""{ "networkId": "{{networkId}}", "datasetId": "{{datasetId}}", "epochs": 5, "learningRate": 0.5 {{From(source)}} }""");

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains($"job '{source}' has no weights yet", problem!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnotherOwnersJobIs404()
    {
        await using var app = new BackpropApplication(settings: new Dictionary<string, string?>
        {
            ["Auth:ApiKeys:alice-key-0123"] = "alice",
            ["Auth:ApiKeys:bob-key-4567"] = "bob",
        });
        var alice = app.CreateClient();
        alice.DefaultRequestHeaders.Add("X-Api-Key", "alice-key-0123");
        var bob = app.CreateClient();
        bob.DefaultRequestHeaders.Add("X-Api-Key", "bob-key-4567");
        var (aliceNetwork, aliceData) = await alice.CreateXorAsync();
        var source = await alice.CreateJobAsync(aliceNetwork, aliceData, 5);
        await alice.WaitForStatusAsync(source, "succeeded");
        var (bobNetwork, bobData) = await bob.CreateXorAsync();

        var (status, problem, _) = await bob.SendAsync(HttpMethod.Post, "/api/jobs",
            $$"""{ "networkId": "{{bobNetwork}}", "datasetId": "{{bobData}}", "epochs": 5, "learningRate": 0.5 {{From(source)}} }""");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains($"job '{source}' does not exist", problem!["detail"]!.GetValue<string>());
    }
}
