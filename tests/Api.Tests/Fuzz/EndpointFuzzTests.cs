using System.Text;
using CsCheck;

namespace BackpropService.Api.Tests.Fuzz;

/// <summary>
/// Random and mutated requests at every endpoint (CsCheck): whatever arrives, the answer is never a 5xx, every
/// error is problem+json with a detail, and no response shows stack traces or internal paths.
/// </summary>
public sealed class EndpointFuzzTests : IAsyncLifetime
{
    private const long Iterations = 250;

    private static readonly string GraphNetwork = """
        { "name": "affine", "graph": { "nodes": [
            { "id": "x", "op": "input" }, { "id": "y", "op": "target" },
            { "id": "w", "op": "parameter", "shape": [2, 1], "init": "xavier" }, { "id": "b", "op": "parameter", "shape": [1], "init": "zeros" },
            { "id": "m", "op": "matmul", "inputs": ["x", "w"] }, { "id": "z", "op": "add", "inputs": ["m", "b"] },
            { "id": "p", "op": "sigmoid", "inputs": ["z"] }, { "id": "l", "op": "mse", "inputs": ["p", "y"] } ],
          "output": "p", "loss": "l" } }
        """;

    private const string Evaluate = """
        { "graph": { "nodes": [ { "id": "x", "op": "input" }, { "id": "h", "op": "square", "inputs": ["x"] },
          { "id": "g", "op": "sin", "inputs": ["h"] }, { "id": "f", "op": "exp", "inputs": ["g"] } ], "output": "f" },
          "inputs": { "x": 0.5 } }
        """;

    private readonly BackpropApplication _app = new(settings: new Dictionary<string, string?>
    {
        ["RateLimits:Enabled"] = "false",
        ["Training:MaxConcurrentJobs"] = "1",
        ["Limits:MaxJobWork"] = "1e9",
    });

    private HttpClient _client = null!;
    private string _networkId = "", _datasetId = "", _jobId = "";

    public async Task InitializeAsync()
    {
        _client = _app.CreateClient();
        (_networkId, _datasetId) = await _client.CreateXorAsync();
        _jobId = await _client.CreateJobAsync(_networkId, _datasetId, 50);
        await _client.WaitForStatusAsync(_jobId, "succeeded");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private string[] JsonEndpoints => ["/api/networks", "/api/datasets", "/api/jobs", $"/api/jobs/{_jobId}/predict", $"/api/jobs/{_jobId}/explain", "/api/graphs/evaluate", $"/api/jobs/{_jobId}/cancel"];

    private string[] Seeds(string url) => url switch
    {
        "/api/networks" => [ApiClient.XorNetwork, GraphNetwork],
        "/api/datasets" => [ApiClient.XorDataset, """{ "name": "labels", "features": [[0,0],[1,1],[2,2]], "labels": [0, 1, 2] }"""],
        "/api/jobs" =>
        [
            $$"""{ "networkId": "{{_networkId}}", "datasetId": "{{_datasetId}}", "epochs": 20, "learningRate": 0.5, "optimizer": "adam", "beta1": 0.9, "batchSize": 2, "seed": 3, "validationSplit": 0.25, "weightDecay": 0.001, "targetCost": 0.01, "shuffle": true }""",
            $$"""{ "network": {{ApiClient.XorNetwork}}, "dataset": {{ApiClient.XorDataset}}, "epochs": 10, "learningRate": 0.1, "optimizer": "momentum", "momentum": 0.8 }""",
        ],
        "/api/graphs/evaluate" => [Evaluate, """{ "graph": { "nodes": [ { "id": "x", "op": "input" }, { "id": "f", "op": "tanh", "inputs": ["x"] } ], "output": "f" }, "inputs": { "x": [[1, 2], [3, 4]] } }"""],
        _ when url.EndsWith("/predict", StringComparison.Ordinal) => ["""{ "inputs": [[0,1],[1,1]] }"""],
        _ when url.EndsWith("/explain", StringComparison.Ordinal) =>
            ["""{ "inputs": [[0,1],[1,1]] }""", """{ "inputs": [[0,1]], "output": 0, "method": "integrated_gradients", "baseline": [0,0], "steps": 8 }"""],
        _ => ["{}"],
    };

    [Fact]
    public async Task MutatedValidRequestsNeverFailWithA5xx()
    {
        var endpoints = JsonEndpoints;
        var gen = Gen.Select(Gen.Int[0, endpoints.Length - 1], Gen.Int[0, 1], JsonGen.Mutation);
        await gen.SampleAsync(async t =>
        {
            var (endpoint, seed, mutation) = t;
            var url = endpoints[endpoint];
            var seeds = Seeds(url);
            await PostAsync(url, mutation.Apply(seeds[seed % seeds.Length]), "application/json");
        }, iter: Iterations * 4, threads: 2);
    }

    [Fact]
    public async Task RandomJsonAtEveryEndpointNeverFailsWithA5xx()
    {
        var endpoints = JsonEndpoints;
        var contentTypes = new[] { "application/json", "application/json; charset=utf-8", "text/plain", "text/csv", "application/x-www-form-urlencoded", "application/problem+json" };
        var gen = Gen.Select(Gen.Int[0, endpoints.Length - 1], JsonGen.Value(3), Gen.Int[0, contentTypes.Length - 1]);
        await gen.SampleAsync(async t =>
        {
            var (endpoint, json, type) = t;
            await PostAsync(endpoints[endpoint], json, contentTypes[type]);
        }, iter: Iterations * 2, threads: 2);
    }

    [Fact]
    public async Task MutatedCsvDatasetsNeverFailWithA5xx()
    {
        const string csv = "x1,x2,label\n0,0,no\n0,1,yes\n1,0,yes\n1,1,no\n";
        var gen = Gen.Select(Gen.Int[0, csv.Length - 1], Gen.String[0, 8], Gen.OneOf("label", "x1", "nope", "", "label&target=x2", "%00"));
        await gen.SampleAsync(async t =>
        {
            var (at, insert, target) = t;
            await PostAsync($"/api/datasets?target={target}&name=fuzz", csv[..at] + insert + csv[at..], "text/csv");
        }, iter: Iterations, threads: 2);
    }

    [Fact]
    public async Task RandomQueryStringsAndIdsNeverFailWithA5xx()
    {
        var routes = new[]
        {
            "/api/jobs?status={0}&limit={1}&cursor={2}", $"/api/jobs/{_jobId}/history?after={{0}}&limit={{1}}",
            $"/api/jobs/{_jobId}/graph?row={{0}}&unroll={{1}}", "/api/networks?limit={0}&cursor={2}", "/api/datasets?limit={1}",
            "/api/jobs/{2}", "/api/networks/{2}", "/api/datasets/{2}", "/api/jobs/{2}/weights", "/api/jobs/{2}/history",
            $"/api/jobs/{_jobId}/weights?x={{0}}",
        };
        var parameter = Gen.Frequency((3, Gen.OneOf("", "0", "-1", "1", "3", "100001", "2147483648", "1e3", "true", "NaN", "running", "RUNNING", "%20", "%FF", "..%2F..", "' OR 1=1 --")), (1, Gen.Int.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))), (1, Gen.String[0, 20].Select(s => Uri.EscapeDataString(s.Replace("\0", "", StringComparison.Ordinal)))));
        var gen = Gen.Select(Gen.Int[0, routes.Length - 1], parameter, parameter, parameter);
        await gen.SampleAsync(async t =>
        {
            var (route, a, b, c) = t;
            var url = string.Format(System.Globalization.CultureInfo.InvariantCulture, routes[route], a, b, c);
            using var response = await _client.GetAsync(url);
            await ProblemAssert.WellFormedAsync(response, "GET " + url);
        }, iter: Iterations * 2, threads: 2);
    }

    private async Task PostAsync(string url, string body, string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var response = await _client.SendAsync(request);
        await ProblemAssert.WellFormedAsync(response, $"POST {url} ({contentType}) {(body.Length > 300 ? body[..300] + "…" : body)}");
    }
}
