using System.Net;
using System.Text;

namespace BackpropService.Api.Tests.Errors;

/// <summary>Malformed requests across every endpoint: each a 4xx application/problem+json with a useful detail, never a 5xx.</summary>
public sealed class BadInputTests(BadInputTests.SeededApplication seeded) : IClassFixture<BadInputTests.SeededApplication>
{
    /// <summary>One application for every case: the cases only read, so they can share it.</summary>
    public sealed class SeededApplication : IAsyncLifetime
    {
        public BackpropApplication App { get; } = new(settings: new Dictionary<string, string?> { ["Training:MaxConcurrentJobs"] = "1" });
        public Dictionary<string, string> Ids { get; private set; } = [];

        public async Task InitializeAsync() => Ids = await SeedAsync(App.CreateClient());

        public async Task DisposeAsync() => await App.DisposeAsync();
    }

    private const string Net = "NET", Data = "DATA", Job = "JOB", Queued = "QUEUED";

    public static TheoryData<string, string, string?, string, int> Cases() => new()
    {
        // method, url, body, content type, expected status
        { "POST", "/api/networks", "{ \"name\": ", "application/json", 400 },
        { "POST", "/api/networks", "{}", "application/json", 400 },
        { "POST", "/api/networks", "{ \"inputs\": 2, \"layers\": [ { \"units\": 2, \"activation\": \"sigmoid\" } ], \"loss\": \"mse\", \"extra\": 1 }", "application/json", 400 },
        { "POST", "/api/networks", "{ \"inputs\": 2, \"layers\": [ { \"units\": 0, \"activation\": \"sigmoid\" } ], \"loss\": \"mse\" }", "application/json", 400 },
        { "POST", "/api/networks", "{ \"inputs\": 2, \"layers\": [ { \"units\": 70000, \"activation\": \"sigmoid\" } ], \"loss\": \"mse\" }", "application/json", 400 },
        { "POST", "/api/networks", "{ \"inputs\": 5000, \"layers\": [ { \"units\": 5000, \"activation\": \"relu\" } ], \"loss\": \"mse\" }", "application/json", 400 },
        { "POST", "/api/networks", "{ \"inputs\": 2, \"layers\": [ { \"units\": 2, \"activation\": \"swish\" } ], \"loss\": \"mse\" }", "application/json", 400 },
        { "POST", "/api/networks", "{ \"inputs\": 2, \"layers\": [ { \"units\": 1, \"activation\": \"sigmoid\" } ], \"loss\": \"hinge\" }", "application/json", 400 },
        { "POST", "/api/networks", "{ \"inputs\": \"2\", \"layers\": [], \"loss\": \"mse\" }", "application/json", 400 },
        { "POST", "/api/networks", "{ \"graph\": { \"nodes\": [ { \"id\": \"x\", \"op\": \"input\" }, { \"id\": \"f\", \"op\": \"exp\", \"inputs\": [\"nope\"] } ], \"output\": \"f\" } }", "application/json", 400 },
        { "POST", "/api/networks", "{ \"graph\": { \"nodes\": [ { \"id\": \"a\", \"op\": \"exp\", \"inputs\": [\"b\"] }, { \"id\": \"b\", \"op\": \"exp\", \"inputs\": [\"a\"] } ], \"output\": \"a\" } }", "application/json", 400 },
        { "POST", "/api/networks", "{ \"graph\": { \"nodes\": [ { \"id\": \"x\", \"op\": \"teleport\" } ], \"output\": \"x\" } }", "application/json", 400 },
        { "POST", "/api/networks", "{ \"graph\": { \"nodes\": [ { \"id\": \"c\", \"op\": \"constant\", \"value\": [[1,2],[3]] } ], \"output\": \"c\" } }", "application/json", 400 },
        { "POST", "/api/networks", "{ \"graph\": { \"nodes\": [], \"output\": \"x\" } }", "application/json", 400 },
        { "POST", "/api/networks", "layers", "text/plain", 415 },
        { "POST", "/api/networks", Nested(100), "application/json", 400 },
        { "POST", "/api/datasets", "{ \"features\": [[0,0],[0]], \"targets\": [[0],[1]] }", "application/json", 400 },
        { "POST", "/api/datasets", "{ \"features\": [], \"targets\": [] }", "application/json", 400 },
        { "POST", "/api/datasets", "{ \"features\": [[0,NaN]], \"targets\": [[0]] }", "application/json", 400 },
        { "POST", "/api/datasets", "{ \"features\": [[0,\"Infinity\"]], \"targets\": [[0]] }", "application/json", 400 },
        { "POST", "/api/datasets", "{ \"features\": [[0,1e309]], \"targets\": [[0]] }", "application/json", 400 },
        { "POST", "/api/datasets", "{ \"features\": [[0,1e300]], \"targets\": [[0]] }", "application/json", 400 },
        { "POST", "/api/datasets", "{ \"features\": [[0,1]], \"targets\": [[0]], \"labels\": [0] }", "application/json", 400 },
        { "POST", "/api/datasets", "{ \"features\": [[0,1],[1,0]], \"labels\": [0,-1] }", "application/json", 400 },
        { "POST", "/api/datasets", "{ \"features\": [[0,1]], \"features\": [[0,1]], \"targets\": [[0]] }", "application/json", 400 },
        { "POST", "/api/datasets?target=y", "a,y\n1,2\n3\n", "text/csv", 400 },
        { "POST", "/api/datasets?target=y", "a,y\n1,2\nhello,3\n", "text/csv", 400 },
        { "POST", "/api/datasets?target=z", "a,y\n1,2\n", "text/csv", 400 },
        { "POST", "/api/datasets", "a,y\n1,2\n", "text/csv", 400 },
        { "POST", "/api/datasets?target=y", "a,y\nNaN,2\n", "text/csv", 400 },
        { "POST", "/api/datasets", "<xml/>", "application/xml", 415 },
        { "POST", "/api/jobs", "{ \"networkId\": \"NET\", \"datasetId\": \"DATA\", \"epochs\": 10, \"learning_rate\": 0.5 }", "application/json", 400 },
        { "POST", "/api/jobs", "{ \"networkId\": \"NET\", \"datasetId\": \"DATA\", \"epochs\": \"100\", \"learningRate\": 0.5 }", "application/json", 400 },
        { "POST", "/api/jobs", "{ \"networkId\": \"NET\", \"datasetId\": \"DATA\", \"epochs\": 10000001, \"learningRate\": 0.5 }", "application/json", 400 },
        { "POST", "/api/jobs", "{ \"networkId\": \"NET\", \"datasetId\": \"DATA\", \"epochs\": 0, \"learningRate\": 0.5 }", "application/json", 400 },
        { "POST", "/api/jobs", "{ \"networkId\": \"NET\", \"datasetId\": \"DATA\", \"epochs\": 10, \"learningRate\": -1 }", "application/json", 400 },
        { "POST", "/api/jobs", "{ \"networkId\": \"NET\", \"datasetId\": \"DATA\", \"epochs\": 10, \"learningRate\": 0.5, \"optimizer\": \"lbfgs\" }", "application/json", 400 },
        { "POST", "/api/jobs", "{ \"networkId\": \"NET\", \"datasetId\": \"DATA\", \"epochs\": 10, \"learningRate\": 0.5, \"validationSplit\": 0.9 }", "application/json", 400 },
        { "POST", "/api/jobs", "{ \"networkId\": \"NET\", \"datasetId\": \"DATA\", \"epochs\": 10, \"learningRate\": 0.5, \"batchSize\": 0 }", "application/json", 400 },
        { "POST", "/api/jobs", "{ \"networkId\": \"missing\", \"datasetId\": \"DATA\", \"epochs\": 10, \"learningRate\": 0.5 }", "application/json", 400 },
        { "POST", "/api/jobs", "{ \"datasetId\": \"DATA\", \"epochs\": 10, \"learningRate\": 0.5 }", "application/json", 400 },
        { "POST", "/api/jobs", "{ \"networkId\": \"NET\", \"datasetId\": \"WIDE\", \"epochs\": 10, \"learningRate\": 0.5 }", "application/json", 400 },
        { "POST", "/api/jobs", "{ \"networkId\": \"NET\", \"datasetId\": \"DATA\", \"epochs\": 10, \"learningRate\": 0.5, \"seed\": -1 }", "application/json", 400 },
        { "POST", "/api/jobs", "[1,2,3]", "application/json", 400 },
        { "POST", "/api/jobs", "", "application/json", 400 },
        { "GET", "/api/jobs?status=sleeping", null, "", 400 },
        { "GET", "/api/jobs?limit=0", null, "", 400 },
        { "GET", "/api/jobs?cursor=%%%", null, "", 400 },
        { "GET", "/api/jobs/nope", null, "", 404 },
        { "GET", "/api/jobs/JOB/history?after=-1", null, "", 400 },
        { "GET", "/api/jobs/JOB/history?limit=abc", null, "", 400 },
        { "GET", "/api/jobs/nope/history", null, "", 404 },
        { "GET", "/api/jobs/QUEUED/weights", null, "", 409 },
        { "POST", "/api/jobs/JOB/predict", "{ \"inputs\": [[0,1,2]] }", "application/json", 400 },
        { "POST", "/api/jobs/JOB/predict", "{ \"inputs\": [] }", "application/json", 400 },
        { "POST", "/api/jobs/QUEUED/predict", "{ \"inputs\": [[0,1]] }", "application/json", 409 },
        { "POST", "/api/jobs/nope/cancel", null, "", 404 },
        { "GET", "/api/jobs/JOB/graph?row=99", null, "", 400 },
        { "GET", "/api/jobs/JOB/graph?unroll=true", null, "", 400 },
        { "GET", "/api/networks/nope", null, "", 404 },
        { "GET", "/api/datasets/nope", null, "", 404 },
        { "POST", "/api/graphs/evaluate", "{ \"graph\": { \"nodes\": [ { \"id\": \"x\", \"op\": \"input\" } ], \"output\": \"x\" }, \"inputs\": { \"x\": \"1\" } }", "application/json", 400 },
        { "POST", "/api/graphs/evaluate", "{ \"graph\": { \"nodes\": [ { \"id\": \"x\", \"op\": \"input\" } ], \"output\": \"x\" }, \"inputs\": { \"y\": 1 } }", "application/json", 400 },
        { "POST", "/api/graphs/evaluate", "{ \"inputs\": { \"x\": 1 } }", "application/json", 400 },
        { "GET", "/api/nothing-here", null, "", 404 },
        { "PUT", "/api/jobs/JOB", null, "", 405 },
        { "DELETE", "/api/jobs/nope", null, "", 404 },
        { "PUT", "/api/networks", "{}", "application/json", 405 },
    };

    private static string Nested(int depth) =>
        "{ \"name\": " + new StringBuilder().Insert(0, "[", depth) + new StringBuilder().Insert(0, "]", depth) + " }";

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task MalformedRequestIsAProblemNotAServerError(string method, string url, string? body, string contentType, int expected)
    {
        var client = seeded.App.CreateClient();
        foreach (var (placeholder, id) in seeded.Ids)
        {
            url = url.Replace(placeholder, id, StringComparison.Ordinal);
            body = body?.Replace($"\"{placeholder}\"", $"\"{id}\"", StringComparison.Ordinal);
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, contentType);
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode == expected, $"{method} {url} → {(int)response.StatusCode}, expected {expected}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = System.Text.Json.Nodes.JsonNode.Parse(text)!;
        Assert.Equal(expected, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(problem["title"]?.GetValue<string>()));
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()), text);
        ClientWords.AssertNoTypeNames(text, $"{method} {url}");
    }

    [Fact]
    public async Task JsonNestedTooDeeplyNamesTheLimit()
    {
        var (status, problem, _) = await seeded.App.CreateClient().SendAsync(HttpMethod.Post, "/api/networks", Nested(100));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Limits:MaxJsonDepth", problem!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task BodyOverTheLimitIs413()
    {
        await using var app = new BackpropApplication(settings: new Dictionary<string, string?> { ["Limits:MaxRequestBodyBytes"] = "1000" });
        var client = app.CreateClient();
        var big = "{ \"name\": \"" + new string('x', 5000) + "\" }";
        var (status, problem, response) = await client.SendAsync(HttpMethod.Post, "/api/networks", big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("MaxRequestBodyBytes", problem!["detail"]!.GetValue<string>());

        // Without a Content-Length (chunked), the same limit applies.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/networks") { Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big))) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TransferEncodingChunked = true;
        var chunked = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked.StatusCode);
    }

    /// <summary>A network, a dataset, a finished job and a queued one (the worker is kept busy with a long job).</summary>
    private static async Task<Dictionary<string, string>> SeedAsync(HttpClient client)
    {
        var (network, dataset) = await client.CreateXorAsync();
        var wide = await client.CreateAsync("/api/datasets", """{ "features": [[0,0,0]], "targets": [[0]] }""");
        var job = await client.CreateJobAsync(network, dataset, 5);
        await client.WaitForStatusAsync(job, "succeeded");
        // With one worker slot, this job stays queued behind a long one for the whole class. The long one trains
        // in batches of one row over 1,000 rows, so it writes few history rows while it keeps the slot busy.
        var slow = await client.CreateAsync("/api/datasets", ApiClient.RepeatedXorDataset(250));
        await client.CreateJobAsync(network, slow, 10_000_000, 0.5, """, "batchSize": 1""");
        var queued = await client.CreateJobAsync(network, dataset, 5);
        return new() { [Net] = network, [Data] = dataset, [Job] = job, [Queued] = queued, ["WIDE"] = wide };
    }
}
