using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace BackpropService.Reliability.Tests.Harness;

/// <summary>
/// The job the fault tests train: a 2-16-16-1 tanh net on a 64-row two-moons-like set, Adam, batches of 8 with
/// shuffling, so a resume must restore the optimizer moments, the RNG position and the row order to end bit-identical.
/// </summary>
public static class Workload
{
    public static string Network => """
        { "name": "fault-net", "inputs": 2,
          "layers": [ { "units": 16, "activation": "tanh" }, { "units": 16, "activation": "tanh" },
                      { "units": 1, "activation": "sigmoid" } ],
          "loss": "binary_cross_entropy" }
        """;

    public static string Dataset
    {
        get
        {
            var features = new List<string>();
            var targets = new List<string>();
            for (var i = 0; i < 64; i++)
            {
                var angle = Math.PI * (i % 32) / 31.0;
                var upper = i < 32;
                var x = upper ? Math.Cos(angle) : 1 - Math.Cos(angle);
                var y = upper ? Math.Sin(angle) : 0.5 - Math.Sin(angle);
                features.Add(FormattableString.Invariant($"[{x:R},{y:R}]"));
                targets.Add(upper ? "[1]" : "[0]");
            }
            return $$"""{ "name": "moons", "features": [{{string.Join(',', features)}}], "targets": [{{string.Join(',', targets)}}] }""";
        }
    }

    public static string Job(string networkId, string datasetId, int epochs, ulong seed = 1234) =>
        $$"""
        { "networkId": "{{networkId}}", "datasetId": "{{datasetId}}", "epochs": {{epochs}},
          "learningRate": 0.01, "optimizer": "adam", "batchSize": 8, "shuffle": true, "seed": {{seed}} }
        """;

    public static async Task<string> PostAsync(this HttpClient client, string url, string json, HttpStatusCode expected)
    {
        using var response = await client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"POST {url} → {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["id"]!.GetValue<string>();
    }

    public static async Task<(string NetworkId, string DatasetId)> CreateNetworkAndDatasetAsync(this HttpClient client) =>
        (await client.PostAsync("/api/networks", Network, HttpStatusCode.Created),
         await client.PostAsync("/api/datasets", Dataset, HttpStatusCode.Created));

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
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Job {jobId} did not reach the expected state in {timeout}: {job}");
            await Task.Delay(25);
        }
    }

    public static Task<JsonNode> WaitForFinishAsync(this HttpClient client, string jobId, TimeSpan timeout) =>
        client.WaitForJobAsync(jobId, IsFinished, timeout);

    public static bool IsFinished(JsonNode job) => Status(job) is "succeeded" or "failed" or "cancelled";

    public static string Status(JsonNode job) => job["status"]!.GetValue<string>();

    public static int EpochsCompleted(JsonNode job) => job["epochsCompleted"]!.GetValue<int>();

    /// <summary>The whole history, page by page, as (epoch, cost bits) so comparisons are bit for bit.</summary>
    public static async Task<List<(int Epoch, long CostBits)>> HistoryAsync(this HttpClient client, string jobId)
    {
        var points = new List<(int, long)>();
        var after = 0;
        while (true)
        {
            var page = await client.GetJsonAsync($"/api/jobs/{jobId}/history?after={after}&limit=100000");
            var batch = page["points"]!.AsArray().Select(p => (p!["epoch"]!.GetValue<int>(), Bits(p["cost"]))).ToList();
            if (batch.Count == 0) return points;
            points.AddRange(batch);
            after = batch[^1].Item1;
        }
    }

    public static long Bits(JsonNode? cost) => cost is null ? long.MinValue : BitConverter.DoubleToInt64Bits(cost.GetValue<double>());

    /// <summary>The final weights as text: the same text means the same doubles, bit for bit.</summary>
    public static async Task<string> WeightsAsync(this HttpClient client, string jobId)
    {
        var weights = await client.GetJsonAsync($"/api/jobs/{jobId}/weights");
        return weights["parameters"]!.ToJsonString();
    }

    public static string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
