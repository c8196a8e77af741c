using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace BackpropService.ScaleOut.Tests;

/// <summary>
/// A sweep across two replicas: maxConcurrent holds across them (the claim counts the sweep's running trials under one
/// lock), and the sweep's counts, read from the trial rows, are the same from either replica.
/// </summary>
public sealed class SweepScaleOutTests
{
    private const int HeldAt = 50;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [ScaleOutFact]
    public async Task NeitherReplicaClaimsASecondTrialWhileTheSweepsOneSlotIsTaken()
    {
        using var hold = new ProcessHold(HeldAt);
        await using var cluster = await ScaleOutCluster.StartAsync(hold.Settings);
        var sweep = await PostSweepAsync(cluster.A.Http, """
            { "base": { "network": { "name": "xor", "inputs": 2, "layers": [ { "units": 2, "activation": "sigmoid" }, { "units": 1, "activation": "sigmoid" } ], "loss": "binary_cross_entropy" },
                        "dataset": { "name": "xor", "features": [[0,0],[0,1],[1,0],[1,1]], "targets": [[0],[1],[1],[0]] },
                        "epochs": 200, "learningRate": 0.5 },
              "grid": { "seed": [1, 2, 3, 4] }, "maxConcurrent": 1 }
            """);
        var held = await hold.ReachedAsync(HeldAt, Patience, () => cluster.Logs);

        // A job posted to each replica wakes its worker, which claims at once: the queued trials are older, so a claim
        // that ignored maxConcurrent would take one of them instead. Both jobs finish; the trials still wait.
        var jobs = new[] { await cluster.A.Http.CreateJobAsync(TrainingJobs.Quick(seed: 5, epochs: 40)), await cluster.B.Http.CreateJobAsync(TrainingJobs.Quick(seed: 6, epochs: 40)) };
        foreach (var job in jobs)
            Assert.Equal("succeeded", JobClient.Status(await cluster.A.Http.WaitForFinishAsync(job, Patience, () => cluster.Logs)));
        foreach (var replica in new[] { cluster.A, cluster.B })
        {
            var counts = (await replica.Http.GetJsonAsync($"/api/sweeps/{sweep}"))["trials"]!;
            Assert.True(counts["running"]!.GetValue<int>() == 1 && counts["queued"]!.GetValue<int>() == 3, $"{replica.Name} sees {counts}\n{cluster.Logs}");
        }
        hold.Release();

        await Wait.UntilAsync(async () => (await cluster.B.Http.GetJsonAsync($"/api/sweeps/{sweep}"))["status"]!.GetValue<string>() == "succeeded",
            Patience, () => cluster.Logs);
        // One at a time, whichever replica trained each: every trial started after the one before it had finished.
        var spans = new List<(DateTime Start, DateTime End)>();
        foreach (var trial in (await cluster.A.Http.GetJsonAsync($"/api/sweeps/{sweep}/trials"))["items"]!.AsArray())
        {
            var job = await cluster.A.Http.GetJobAsync(trial!["jobId"]!.GetValue<string>());
            spans.Add((job["startedAt"]!.GetValue<DateTime>(), job["finishedAt"]!.GetValue<DateTime>()));
        }
        spans.Sort();
        for (var i = 1; i < spans.Count; i++) Assert.True(spans[i].Start >= spans[i - 1].End, $"two trials trained at once: {string.Join(", ", spans)}");
        Assert.Contains(held, (await cluster.A.Http.GetJsonAsync($"/api/sweeps/{sweep}/trials"))["items"]!.AsArray().Select(t => t!["jobId"]!.GetValue<string>()));
    }

    private static async Task<string> PostSweepAsync(HttpClient client, string json)
    {
        using var response = await client.PostAsync("/api/sweeps", new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST /api/sweeps → {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["id"]!.GetValue<string>();
    }
}
