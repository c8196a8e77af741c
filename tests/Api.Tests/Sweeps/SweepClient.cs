using System.Net;
using System.Text.Json.Nodes;

namespace BackpropService.Api.Tests.Sweeps;

/// <summary>The sweep calls as the tests make them.</summary>
public static class SweepClient
{
    /// <summary>An XOR sweep request: the base job with <paramref name="epochs"/> and the given sweep members.</summary>
    public static string Xor(string networkId, string datasetId, int epochs, string members) => $$"""
        { "name": "xor sweep",
          "base": { "networkId": "{{networkId}}", "datasetId": "{{datasetId}}", "epochs": {{epochs}}, "learningRate": 0.5, "seed": 1 },
          {{members}} }
        """;

    public static async Task<JsonNode> CreateSweepAsync(this HttpClient client, string json)
    {
        var (status, body, _) = await client.SendAsync(HttpMethod.Post, "/api/sweeps", json);
        Assert.True(status == HttpStatusCode.Accepted, $"POST /api/sweeps → {(int)status}: {body}");
        return body!;
    }

    public static Task<JsonNode> GetSweepAsync(this HttpClient client, string sweepId) => client.GetJsonAsync($"/api/sweeps/{sweepId}");

    public static async Task<JsonNode> WaitForSweepAsync(this HttpClient client, string sweepId, Func<JsonNode, bool> done)
    {
        JsonNode? sweep = null;
        await Wait.UntilAsync(async () => done(sweep = await client.GetSweepAsync(sweepId)), TimeSpan.FromSeconds(120),
            () => $"sweep {sweepId} in the expected state; last seen: {sweep?.ToJsonString()}");
        return sweep!;
    }

    public static bool Ended(JsonNode sweep) => Status(sweep) is "succeeded" or "failed" or "cancelled";

    public static string Status(JsonNode sweep) => sweep["status"]!.GetValue<string>();

    public static int Count(JsonNode sweep, string status) => sweep["trials"]![status]!.GetValue<int>();

    /// <summary>Every leaderboard row, page by page.</summary>
    public static async Task<List<JsonNode>> TrialsAsync(this HttpClient client, string sweepId, int pageSize = 1000)
    {
        var rows = new List<JsonNode>();
        string? cursor = null;
        do
        {
            var page = await client.GetJsonAsync($"/api/sweeps/{sweepId}/trials?limit={pageSize}" + (cursor is null ? "" : $"&cursor={cursor}"));
            rows.AddRange(page["items"]!.AsArray().Select(r => r!));
            cursor = page["next"]?.GetValue<string>();
        } while (cursor is not null);
        return rows;
    }
}
