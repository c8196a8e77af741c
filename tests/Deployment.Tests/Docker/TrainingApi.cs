using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace BackpropService.Deployment.Tests.Docker;

/// <summary>The HTTP calls the image tests make, and the two jobs they train.</summary>
internal static class TrainingApi
{
    /// <summary>The seed's 2-2-1 XOR net, full batch: a short job that finishes in well under a second.</summary>
    public static string XorJob(int epochs) => $$"""
        { "network": { "name": "xor", "inputs": 2,
                       "layers": [ { "units": 2, "activation": "sigmoid" }, { "units": 1, "activation": "sigmoid" } ],
                       "loss": "binary_cross_entropy" },
          "dataset": { "name": "xor", "features": [[0,0],[0,1],[1,0],[1,1]], "targets": [[0],[1],[1],[0]] },
          "epochs": {{epochs}}, "learningRate": 0.5, "seed": 42 }
        """;

    /// <summary>A 2-16-16-1 net on 64 rows in batches of 8 with Adam: a few thousand epochs a second, long enough for a
    /// SIGTERM to land mid-job.</summary>
    public static string LongJob(int epochs)
    {
        var features = Enumerable.Range(0, 64).Select(i => FormattableString.Invariant(
            $"[{Math.Cos(Math.PI * (i % 32) / 31.0) + (i < 32 ? 0 : 1):R},{(i < 32 ? 1 : -1) * Math.Sin(Math.PI * (i % 32) / 31.0):R}]"));
        var targets = Enumerable.Range(0, 64).Select(i => i < 32 ? "[1]" : "[0]");
        return $$"""
            { "network": { "name": "long", "inputs": 2,
                           "layers": [ { "units": 16, "activation": "tanh" }, { "units": 16, "activation": "tanh" },
                                       { "units": 1, "activation": "sigmoid" } ],
                           "loss": "binary_cross_entropy" },
              "dataset": { "name": "arcs", "features": [{{string.Join(',', features)}}], "targets": [{{string.Join(',', targets)}}] },
              "epochs": {{epochs}}, "learningRate": 0.01, "optimizer": "adam", "batchSize": 8, "shuffle": true, "seed": 7 }
            """;
    }

    public static async Task<string> PostJobAsync(this HttpClient client, string json)
    {
        using var response = await client.PostAsync("/api/jobs", new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST /api/jobs → {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["id"]!.GetValue<string>();
    }

    public static async Task<JsonNode> GetJsonAsync(this HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {url} → {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    public static async Task<JsonNode> WaitForJobAsync(this HttpClient client, string jobId, Func<JsonNode, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var job = await client.GetJsonAsync($"/api/jobs/{jobId}");
            if (done(job)) return job;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"job {jobId} did not reach the expected state in {timeout}: {job}");
            await Task.Delay(25);
        }
    }

    public static Task<JsonNode> WaitForFinishAsync(this HttpClient client, string jobId, TimeSpan timeout) =>
        client.WaitForJobAsync(jobId, j => Status(j) is "succeeded" or "failed" or "cancelled", timeout);

    public static string Status(JsonNode job) => job["status"]!.GetValue<string>();

    public static int EpochsCompleted(JsonNode job) => job["epochsCompleted"]!.GetValue<int>();

    /// <summary>The epoch numbers of the whole stored history, page by page.</summary>
    public static async Task<List<int>> HistoryEpochsAsync(this HttpClient client, string jobId)
    {
        var epochs = new List<int>();
        while (true)
        {
            var page = await client.GetJsonAsync($"/api/jobs/{jobId}/history?after={epochs.LastOrDefault()}&limit=100000");
            var batch = page["points"]!.AsArray().Select(p => p!["epoch"]!.GetValue<int>()).ToList();
            if (batch.Count == 0) return epochs;
            epochs.AddRange(batch);
        }
    }
}
