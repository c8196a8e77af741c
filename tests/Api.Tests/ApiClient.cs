using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace BackpropService.Api.Tests;

/// <summary>The XOR story's requests, any request with its body parsed, and a wait for a job's status (the rest: TestKit's JobClient).</summary>
public static class ApiClient
{
    public const string XorNetwork = """
        { "name": "xor", "inputs": 2,
          "layers": [ { "units": 2, "activation": "sigmoid" }, { "units": 1, "activation": "sigmoid" } ],
          "loss": "binary_cross_entropy" }
        """;

    public const string XorDataset = """
        { "name": "xor", "features": [[0,0],[0,1],[1,0],[1,1]], "targets": [[0],[1],[1],[0]] }
        """;

    /// <summary>XOR's four rows repeated: the same problem, but each epoch costs <paramref name="copies"/> times more.</summary>
    public static string RepeatedXorDataset(int copies)
    {
        var features = string.Join(",", Enumerable.Repeat("[0,0],[0,1],[1,0],[1,1]", copies));
        var targets = string.Join(",", Enumerable.Repeat("[0],[1],[1],[0]", copies));
        return $$"""{ "name": "xor x{{copies}}", "features": [{{features}}], "targets": [{{targets}}] }""";
    }

    public static async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(
        this HttpClient client, HttpMethod method, string url, string? json = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, url);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, contentType);
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response);
    }

    public static async Task<string> CreateAsync(this HttpClient client, string url, string json)
    {
        var (status, body, _) = await client.SendAsync(HttpMethod.Post, url, json);
        Assert.True(status is HttpStatusCode.Created or HttpStatusCode.Accepted, $"POST {url} → {(int)status}: {body}");
        return body!["id"]!.GetValue<string>();
    }

    public static async Task<(string NetworkId, string DatasetId)> CreateXorAsync(this HttpClient client) =>
        (await client.CreateAsync("/api/networks", XorNetwork), await client.CreateAsync("/api/datasets", XorDataset));

    public static Task<string> CreateJobAsync(this HttpClient client, string networkId, string datasetId, int epochs, double learningRate = 0.5, string extra = "") =>
        client.CreateAsync("/api/jobs", $$"""{ "networkId": "{{networkId}}", "datasetId": "{{datasetId}}", "epochs": {{epochs}}, "learningRate": {{learningRate.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, "seed": 42 {{extra}} }""");

    public static Task<JsonNode> WaitForStatusAsync(this HttpClient client, string jobId, string status, int timeoutSeconds = 60) =>
        client.WaitForJobAsync(jobId, j => JobClient.Status(j) == status || JobClient.IsFinished(j) && status != "running", TimeSpan.FromSeconds(timeoutSeconds));
}
