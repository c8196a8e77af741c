using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace BackpropService.ScaleOut.Tests;

/// <summary>
/// Admissions on two replicas take turns (one advisory lock per batch): concurrent POSTs with one Idempotency-Key make
/// one job whichever replica they reach, and the queue limit holds exactly across both.
/// </summary>
public sealed class AdmissionScaleOutTests
{
    private const int HeldAt = 5;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [ScaleOutFact]
    public async Task ConcurrentPostsToBothReplicasMakeOneJobPerKeyAndFillTheQueueExactlyToItsLimit()
    {
        using var hold = new ProcessHold(HeldAt);
        var settings = new Dictionary<string, string>(hold.Settings)
        {
            ["Training__MaxConcurrentJobs"] = "1",
            ["Limits__MaxQueuedJobsPerOwner"] = "3",
        };
        await using var cluster = await ScaleOutCluster.StartAsync(settings);
        // Each replica's one slot holds a job, so nothing leaves the queue while the POSTs race.
        foreach (var (replica, seed) in new[] { (cluster.A, 1), (cluster.B, 2) })
        {
            var id = await replica.Http.CreateJobAsync(TrainingJobs.Quick(seed, epochs: 100));
            await hold.ReachedAsync(HeldAt, Patience, () => cluster.Logs, id);
        }

        // By id (one row per admission: savepoint and insert in one command) here; inline parts (several rows) below.
        var networkId = await cluster.A.Http.PostAsync("/api/networks",
            """{ "name": "xor", "inputs": 2, "layers": [ { "units": 2, "activation": "sigmoid" }, { "units": 1, "activation": "sigmoid" } ], "loss": "binary_cross_entropy" }""",
            HttpStatusCode.Created);
        var datasetId = await cluster.B.Http.PostAsync("/api/datasets", """{ "name": "xor", "features": [[0,0],[0,1],[1,0],[1,1]], "targets": [[0],[1],[1],[0]] }""", HttpStatusCode.Created);
        var byId = new { networkId, datasetId, epochs = 100, learningRate = 0.5, seed = 3 };
        var keyed = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => PostAsync(i % 2 == 0 ? cluster.A : cluster.B, byId, "one-key")));
        Assert.All(keyed, a => Assert.True(a.Status == HttpStatusCode.Accepted, $"{(int)a.Status}: {a.Body}\n{cluster.Logs}"));
        Assert.Single(keyed.Select(a => a.Body["id"]!.GetValue<string>()).Distinct());

        // One place is taken by the keyed job: of 8 more, exactly 2 fit.
        var rest = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => PostAsync(i % 2 == 0 ? cluster.A : cluster.B, TrainingJobs.Quick(seed: 10 + i))));
        Assert.True(rest.Count(a => a.Status == HttpStatusCode.Accepted) == 2, string.Join("\n", rest.Select(a => $"{(int)a.Status}: {a.Body}")));
        Assert.All(rest.Where(a => a.Status != HttpStatusCode.Accepted), a => Assert.Equal(HttpStatusCode.TooManyRequests, a.Status));
        Assert.Equal(3, (await cluster.A.Http.GetJsonAsync("/api/jobs?status=queued"))["items"]!.AsArray().Count);
        hold.Release();
    }

    private static async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(Replica replica, object job, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = JsonContent.Create(job) };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        using var response = await replica.Http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }
}
