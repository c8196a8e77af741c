using BackpropService.Api.Testing;

namespace BackpropService.Api.Tests.Jobs;

/// <summary>A queued job's queuePosition is the order the worker claims in: the jobs start in the order of the positions they showed.</summary>
public sealed class QueuePositionTests
{
    private const int Queued = 4;

    [Fact]
    public async Task QueuedJobsStartInTheOrderOfTheirPositionsAndRunningOrFinishedJobsHaveNone()
    {
        // One job at a time: while the first is held, every later job waits in the queue.
        await using var app = new BackpropApplication(settings: new Dictionary<string, string?> { ["Training:MaxConcurrentJobs"] = "1" });
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        string running;
        Dictionary<string, int> shown;
        var queued = new List<string>();
        using (var hold = EpochHold.Arm(app.InstanceName, 2))
        {
            running = await client.CreateJobAsync(networkId, datasetId, 50);
            Assert.Equal(running, await hold.Reached.WaitAsync(TimeSpan.FromSeconds(60)));
            for (var i = 1; i <= Queued; i++)
            {
                var (_, body, _) = await client.SendAsync(HttpMethod.Post, "/api/jobs",
                    $$"""{ "networkId": "{{networkId}}", "datasetId": "{{datasetId}}", "epochs": 50, "learningRate": 0.5, "seed": {{i}} }""");
                Assert.Equal(i, body!["queuePosition"]!.GetValue<int>());
                queued.Add(body["id"]!.GetValue<string>());
            }

            // Each job, and the list (one page, newest first), show the same positions; the running job has none.
            shown = [];
            foreach (var id in queued) shown[id] = (await client.GetJobAsync(id))["queuePosition"]!.GetValue<int>();
            Assert.Equal(Enumerable.Range(1, Queued), queued.Select(id => shown[id]));
            var list = (await client.GetJsonAsync("/api/jobs?limit=10"))["items"]!.AsArray();
            Assert.All(list, j => Assert.Equal(shown.TryGetValue(j!["id"]!.GetValue<string>(), out var p) ? p : null, j!["queuePosition"]?.GetValue<int>()));
            Assert.Null((await client.GetJobAsync(running))["queuePosition"]);
            hold.Release();
        }

        var byPosition = queued.OrderBy(id => shown[id]).ToList();
        var started = new List<(string Id, DateTime StartedAt)>();
        foreach (var id in queued)
        {
            var job = await client.WaitForFinishAsync(id);
            Assert.Equal("succeeded", JobClient.Status(job));
            Assert.Null(job["queuePosition"]);
            started.Add((id, job["startedAt"]!.GetValue<DateTime>()));
        }
        Assert.Equal(byPosition, started.OrderBy(s => s.StartedAt).Select(s => s.Id));
    }
}
