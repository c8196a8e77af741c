using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace BackpropService.LoadTest;

/// <summary>The few requests the scenarios make: the seed's XOR network and dataset, jobs, and waiting for them.</summary>
public sealed class LoadClient(Uri baseAddress, string? apiKey = null) : IDisposable
{
    public Uri BaseAddress { get; } = baseAddress;
    public string? ApiKey { get; } = apiKey;

    public HttpClient Http { get; } = Create(baseAddress, apiKey);

    private static HttpClient Create(Uri baseAddress, string? apiKey)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        var http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (apiKey is not null) http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return http;
    }

    public async Task<string> PostAsync(string url, string json)
    {
        using var response = await Http.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {url} → {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["id"]!.GetValue<string>();
    }

    public async Task<(string NetworkId, string DatasetId)> CreateXorAsync() =>
        (await PostAsync("/api/networks", """{ "name": "xor", "inputs": 2, "layers": [ { "units": 2, "activation": "sigmoid" }, { "units": 1, "activation": "sigmoid" } ], "loss": "binary_cross_entropy" }"""),
         await PostAsync("/api/datasets", """{ "name": "xor", "features": [[0,0],[0,1],[1,0],[1,1]], "targets": [[0],[1],[1],[0]] }"""));

    public Task<string> CreateJobAsync(string networkId, string datasetId, int epochs, int seed = 42) =>
        PostAsync("/api/jobs", $$"""{ "networkId": "{{networkId}}", "datasetId": "{{datasetId}}", "epochs": {{epochs}}, "learningRate": 0.5, "seed": {{seed}} }""");

    public async Task<JsonNode> GetJobAsync(string jobId) => (await Http.GetFromJsonAsync<JsonNode>($"/api/jobs/{jobId}"))!;

    public Task<JsonNode> WaitFinishedAsync(string jobId, TimeSpan timeout) =>
        WaitUntilAsync(jobId, job => job["status"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled", timeout, "finished");

    /// <summary>Reads the job until <paramref name="holds"/>; throws <see cref="TimeoutException"/> (naming <paramref name="what"/> and the job as last read) after <paramref name="timeout"/>.</summary>
    public async Task<JsonNode> WaitUntilAsync(string jobId, Func<JsonNode, bool> holds, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var job = await GetJobAsync(jobId);
            if (holds(job)) return job;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"job {jobId} not {what} after {timeout}: {job}");
            await Task.Delay(50);
        }
    }

    public void Dispose() => Http.Dispose();
}
