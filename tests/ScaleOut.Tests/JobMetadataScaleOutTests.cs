using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace BackpropService.ScaleOut.Tests;

/// <summary>
/// Run metadata on PostgreSQL: a PATCH through one replica is what the other lists, and `?tag=` / `?q=` filter there
/// as on SQLite (Api.Tests covers SQLite): a tag matches whole (no prefix, no LIKE wildcards), the text search is
/// case-insensitive over name and notes, and both combine with the status filter.
/// </summary>
public sealed class JobMetadataScaleOutTests
{
    [ScaleOutFact]
    public async Task TagAndTextFiltersSelectTheSameJobsOnPostgres()
    {
        await using var cluster = await ScaleOutCluster.StartAsync();
        var baseline = await cluster.A.Http.CreateJobAsync(TrainingJobs.Quick(seed: 1, epochs: 20));
        var retry = await cluster.A.Http.CreateJobAsync(TrainingJobs.Quick(seed: 2, epochs: 20));
        var plain = await cluster.A.Http.CreateJobAsync(TrainingJobs.Quick(seed: 3, epochs: 20));
        await PatchAsync(cluster.A.Http, baseline, """{ "name": "Baseline XOR", "tags": ["baseline", "xor", "100%"] }""");
        await PatchAsync(cluster.A.Http, retry, """{ "notes": "try the BASELINE again_later", "tags": ["xor"] }""");
        foreach (var job in new[] { baseline, retry, plain })
            await cluster.B.Http.WaitForFinishAsync(job, TimeSpan.FromMinutes(2), () => cluster.Logs);

        var b = cluster.B.Http;
        Assert.Equal([baseline], await IdsAsync(b, "?tag=baseline"));
        Assert.Equal([retry, baseline], await IdsAsync(b, "?tag=xor"));
        Assert.Empty(await IdsAsync(b, "?tag=base"));
        Assert.Equal([baseline], await IdsAsync(b, "?tag=" + Uri.EscapeDataString("100%")));
        Assert.Empty(await IdsAsync(b, "?tag=" + Uri.EscapeDataString("10%")));
        Assert.Equal([retry, baseline], await IdsAsync(b, "?q=BaseLine"));
        Assert.Equal([retry], await IdsAsync(b, "?q=again_later"));
        Assert.Empty(await IdsAsync(b, "?q=again%25later"));
        Assert.Equal([baseline], await IdsAsync(b, "?q=baseline&tag=baseline&status=succeeded"));
        Assert.Empty(await IdsAsync(b, "?tag=xor&status=queued"));

        var stored = await b.GetJobAsync(retry);
        Assert.Equal("try the BASELINE again_later", stored["notes"]!.GetValue<string>());
        Assert.Equal(["xor"], stored["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
    }

    private static async Task PatchAsync(HttpClient client, string jobId, string json)
    {
        using var response = await client.PatchAsync($"/api/jobs/{jobId}", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"PATCH /api/jobs/{jobId} → {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The listed job ids, newest first (as the list orders them).</summary>
    private static async Task<string[]> IdsAsync(HttpClient client, string query) =>
        (await client.GetJsonAsync("/api/jobs" + query))["items"]!.AsArray().Select(j => j!["id"]!.GetValue<string>()).ToArray();
}
