using System.Net;
using System.Text;
using BackpropService.Reliability.Tests.Harness;
using Xunit.Abstractions;

namespace BackpropService.Reliability.Tests.Cost;

/// <summary>
/// The worst request each computing route allows under the default limits, sent to the service as a child process:
/// its resident memory (peak, VmHWM) grows by at most a stated bound, once and with 4 such requests at once; one
/// step past the limit is refused. The figures are in docs/reliability.md.
/// </summary>
public sealed class CostBoundTests(ITestOutputHelper output)
{
    // 10 → 240 → 1000 → 1: one row of its graph holds 248,376 values (Limits:MaxEvaluationValues = 250,000), and one
    // row of a prediction 3,734 activations, so 2,678 rows are the most under Limits:MaxPredictNumbers = 10,000,000.
    private const string WideNetwork = """
        { "name": "wide", "inputs": 10,
          "layers": [ { "units": 240, "activation": "relu" }, { "units": 1000, "activation": "relu" },
                      { "units": 1, "activation": "sigmoid" } ],
          "loss": "binary_cross_entropy" }
        """;

    // 2 → 44 → 1 is the largest of its shape whose unrolled graph stays within Limits:MaxUnrolledNodes = 500 (45 is refused).
    private const string WorstUnrolledNetwork = """
        { "name": "unrolled", "inputs": 2,
          "layers": [ { "units": 44, "activation": "tanh" }, { "units": 1, "activation": "sigmoid" } ],
          "loss": "binary_cross_entropy" }
        """;

    private const int WorstPredictRows = 2_678;
    // Bounds on the growth of peak RSS (MB), with a margin over what docs/reliability.md reports: the GC's budgets
    // (server GC, one heap per core) are a large part of any growth. Four at once are bounded by twice one, not four
    // times: Limits:MaxConcurrentComputations = 2 lets two compute (one per core) while the other two wait holding
    // only their parsed request. A bound equal to one request's would need 1 slot, leaving a core idle.
    private const int ComputingAtOnce = 2;
    private const double EvaluateBoundMb = 150;
    private const double FourEvaluationsBoundMb = ComputingAtOnce * EvaluateBoundMb;
    private const double PredictBoundMb = 100;
    private const double FourPredictionsBoundMb = ComputingAtOnce * PredictBoundMb;
    private const double UnrollBoundMb = 32;

    [Fact]
    public async Task WorstAllowedEvaluationStaysWithinItsMemoryBoundAloneAndFourAtOnce()
    {
        using var db = new TempDatabase();
        await using var service = await ServiceProcess.StartAsync(db.Path, db.InstanceName);
        // sin of a [350, 357] parameter, summed: 249,901 values, the most under Limits:MaxEvaluationValues.
        static string Evaluate(int rows) => $$"""
            { "graph": { "nodes": [ { "id": "w", "op": "parameter", "shape": [{{rows}}, 357] },
                                    { "id": "s", "op": "sin", "inputs": ["w"] }, { "id": "f", "op": "sum", "inputs": ["s"] } ],
                         "output": "f" } }
            """;
        await AssertRefusedAsync(service.Client, "/api/graphs/evaluate", Evaluate(351), "Limits:MaxEvaluationValues");

        var (one, four) = await MeasureAsync(service, () => PostAsync(service.Client, "/api/graphs/evaluate", Evaluate(350)), () => PostAsync(service.Client, "/api/graphs/evaluate", Evaluate(2)));
        Assert.True(one <= EvaluateBoundMb, $"one evaluation grew RSS by {one:F0} MB, over {EvaluateBoundMb} MB");
        Assert.True(four <= FourEvaluationsBoundMb, $"four evaluations at once grew RSS by {four:F0} MB, over {FourEvaluationsBoundMb} MB");
    }

    [Fact]
    public async Task WorstAllowedPredictionStaysWithinItsMemoryBoundAloneAndFourAtOnce()
    {
        using var db = new TempDatabase();
        await using var service = await ServiceProcess.StartAsync(db.Path, db.InstanceName);
        var jobId = await TrainWideNetworkAsync(service.Client);
        await AssertRefusedAsync(service.Client, $"/api/jobs/{jobId}/predict", Predict(WorstPredictRows + 1), "Limits:MaxPredictNumbers");

        var (one, four) = await MeasureAsync(service, () => PostAsync(service.Client, $"/api/jobs/{jobId}/predict", Predict(WorstPredictRows)),
            () => PostAsync(service.Client, $"/api/jobs/{jobId}/predict", Predict(1)));
        Assert.True(one <= PredictBoundMb, $"one prediction grew RSS by {one:F0} MB, over {PredictBoundMb} MB");
        Assert.True(four <= FourPredictionsBoundMb, $"four predictions at once grew RSS by {four:F0} MB, over {FourPredictionsBoundMb} MB");
    }

    [Fact]
    public async Task WorstAllowedGraphOnARowStaysWithinItsMemoryBoundAloneAndFourAtOnce()
    {
        using var db = new TempDatabase();
        await using var service = await ServiceProcess.StartAsync(db.Path, db.InstanceName);
        var jobId = await TrainWideNetworkAsync(service.Client);
        using (var unrolled = await service.Client.GetAsync($"/api/jobs/{jobId}/graph?row=0&unroll=true"))
        {
            var body = await unrolled.Content.ReadAsStringAsync();
            Assert.True(unrolled.StatusCode == HttpStatusCode.BadRequest, body);
            Assert.Contains("Limits:MaxUnrolledNodes", body);
        }

        var (one, four) = await MeasureAsync(service, () => GetAsync(service.Client, $"/api/jobs/{jobId}/graph?row=0"),
            () => GetAsync(service.Client, $"/api/jobs/{jobId}/graph"));
        Assert.True(one <= EvaluateBoundMb, $"one graph on a row grew RSS by {one:F0} MB, over {EvaluateBoundMb} MB");
        Assert.True(four <= FourEvaluationsBoundMb, $"four graphs on a row at once grew RSS by {four:F0} MB, over {FourEvaluationsBoundMb} MB");
    }

    [Fact]
    public async Task WorstAllowedUnrolledGraphStaysWithinItsMemoryBoundAloneAndFourAtOnce()
    {
        using var db = new TempDatabase();
        await using var service = await ServiceProcess.StartAsync(db.Path, db.InstanceName);
        var jobId = await TrainAsync(service.Client, WorstUnrolledNetwork, inputs: 2);

        var (one, four) = await MeasureAsync(service, () => GetAsync(service.Client, $"/api/jobs/{jobId}/graph?row=0&unroll=true"),
            () => GetAsync(service.Client, $"/api/jobs/{jobId}/graph?row=1&unroll=true"));
        Assert.True(one <= UnrollBoundMb, $"one unrolled graph grew RSS by {one:F0} MB, over {UnrollBoundMb} MB");
        Assert.True(four <= UnrollBoundMb, $"four unrolled graphs at once grew RSS by {four:F0} MB, over {UnrollBoundMb} MB");
    }

    /// <summary>Resident growth of one worst request, then of four at once, each from the size before it (MB).</summary>
    private async Task<(double One, double Four)> MeasureAsync(ServiceProcess service, Func<Task<HttpStatusCode>> worst, Func<Task<HttpStatusCode>> small)
    {
        // A small request of the same route first, so the measurement is the request's data, not the route's first JIT.
        Assert.Equal(HttpStatusCode.OK, await small());
        var before = ProcessMemory.ResidentMb(service.Id);
        ProcessMemory.ResetPeak(service.Id);
        Assert.Equal(HttpStatusCode.OK, await worst());
        var one = ProcessMemory.PeakMb(service.Id) - before;

        var beforeFour = ProcessMemory.ResidentMb(service.Id);
        ProcessMemory.ResetPeak(service.Id);
        var statuses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => worst()));
        var four = ProcessMemory.PeakMb(service.Id) - beforeFour;
        output.WriteLine($"RSS {before:F0} MB; one: +{one:F0} MB; four at once ({string.Join(", ", statuses.Select(s => (int)s))}) from {beforeFour:F0} MB: +{four:F0} MB");
        // The per-client compute budget may refuse some of the four (429); the others ran.
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, s.ToString()));
        Assert.Contains(HttpStatusCode.OK, statuses);
        return (one, four);
    }

    private static Task<string> TrainWideNetworkAsync(HttpClient client) => TrainAsync(client, WideNetwork, inputs: 10);

    private static async Task<string> TrainAsync(HttpClient client, string network, int inputs)
    {
        var networkId = await client.PostAsync("/api/networks", network, HttpStatusCode.Created);
        var rows = string.Join(",", Enumerable.Range(0, 4).Select(r => "[" + string.Join(",", Enumerable.Range(0, inputs).Select(c => (r + c) % 3)) + "]"));
        var datasetId = await client.PostAsync("/api/datasets", $$"""{ "name": "wide", "features": [{{rows}}], "targets": [[0],[1],[1],[0]] }""", HttpStatusCode.Created);
        var jobId = await client.PostAsync("/api/jobs", $$"""{ "networkId": "{{networkId}}", "datasetId": "{{datasetId}}", "epochs": 1, "learningRate": 0.01 }""", HttpStatusCode.Accepted);
        var job = await client.WaitForFinishAsync(jobId, TimeSpan.FromSeconds(120));
        Assert.Equal("succeeded", JobClient.Status(job));
        return jobId;
    }

    private static string Predict(int rows) =>
        $$"""{ "inputs": [{{string.Join(",", Enumerable.Repeat("[1,0,1,0,1,0,1,0,1,0]", rows))}}] }""";

    private static async Task AssertRefusedAsync(HttpClient client, string url, string json, string limit)
    {
        using var response = await client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(limit, body);
    }

    private static async Task<HttpStatusCode> PostAsync(HttpClient client, string url, string json)
    {
        using var response = await client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));
        await response.Content.CopyToAsync(Stream.Null);
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        await response.Content.CopyToAsync(Stream.Null);
        return response.StatusCode;
    }
}
