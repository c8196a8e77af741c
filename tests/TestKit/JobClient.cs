using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BackpropService.TestKit;

/// <summary>The HTTP contract's job calls as the tests make them, on any <see cref="HttpClient"/> pointed at the service.</summary>
public static class JobClient
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>POSTs <paramref name="json"/>, fails unless the answer is <paramref name="expected"/>, returns the new resource's id.</summary>
    public static async Task<string> PostAsync(this HttpClient client, string url, string json, HttpStatusCode expected)
    {
        using var response = await client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
            throw new HttpRequestException($"POST {url} → {(int)response.StatusCode}, expected {(int)expected}: {text}");
        return JsonNode.Parse(text)!["id"]!.GetValue<string>();
    }

    /// <summary>POSTs an object as JSON to /api/jobs and returns the new job's id (202).</summary>
    public static Task<string> CreateJobAsync(this HttpClient client, object request) =>
        client.PostAsync("/api/jobs", JsonSerializer.Serialize(request, JsonSerializerOptions.Web), HttpStatusCode.Accepted);

    public static async Task<JsonNode> GetJsonAsync(this HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"GET {url} → {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    public static Task<JsonNode> GetJobAsync(this HttpClient client, string jobId) => client.GetJsonAsync($"/api/jobs/{jobId}");

    /// <summary>Polls the job until <paramref name="done"/> holds and returns it; throws after <paramref name="timeout"/> (default a minute).</summary>
    public static async Task<JsonNode> WaitForJobAsync(this HttpClient client, string jobId, Func<JsonNode, bool> done, TimeSpan? timeout = null, Func<string>? context = null)
    {
        JsonNode? job = null;
        await Wait.UntilAsync(async () => done(job = await client.GetJobAsync(jobId)), timeout ?? DefaultTimeout,
            () => $"job {jobId} in the expected state; last seen: {job?.ToJsonString()}\n{context?.Invoke()}");
        return job!;
    }

    public static Task<JsonNode> WaitForFinishAsync(this HttpClient client, string jobId, TimeSpan? timeout = null, Func<string>? context = null) =>
        client.WaitForJobAsync(jobId, IsFinished, timeout, context);

    public static bool IsFinished(JsonNode job) => Status(job) is "succeeded" or "failed" or "cancelled";

    public static string Status(JsonNode job) => job["status"]!.GetValue<string>();

    public static int EpochsCompleted(JsonNode job) => job["epochsCompleted"]!.GetValue<int>();

    /// <summary>The whole history, page by page (<c>?after=</c>), epoch 1 first.</summary>
    public static async Task<List<EpochCost>> HistoryAsync(this HttpClient client, string jobId)
    {
        var points = new List<EpochCost>();
        var after = 0;
        while (true)
        {
            var page = await client.GetJsonAsync($"/api/jobs/{jobId}/history?after={after}&limit=100000");
            var batch = page["points"]!.AsArray().Select(p => EpochCost.Of(p!["epoch"]!.GetValue<int>(), p["cost"]?.GetValue<double>())).ToList();
            if (batch.Count == 0) return points;
            points.AddRange(batch);
            after = batch[^1].Epoch;
        }
    }

    /// <summary>The final weights as text: the same text means the same doubles, bit for bit.</summary>
    public static async Task<string> WeightsAsync(this HttpClient client, string jobId) =>
        (await client.GetJsonAsync($"/api/jobs/{jobId}/weights"))["parameters"]!.ToJsonString();

    /// <summary>POST /api/jobs/{id}/cancel; returns the status code.</summary>
    public static async Task<HttpStatusCode> CancelAsync(this HttpClient client, string jobId)
    {
        using var response = await client.PostAsync($"/api/jobs/{jobId}/cancel", content: null);
        return response.StatusCode;
    }
}
