using BackpropService.Api.Testing;
using BackpropService.Persistence;
using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests.Jobs;

/// <summary>A queued job's queuePosition is the order the worker claims in: the jobs start in the order of the positions they showed.</summary>
public sealed class QueuePositionTests
{
    private const int Queued = 4;

    [Fact]
    public async Task QueuedJobsStartInTheOrderOfTheirPositionsBehindAnAbandonedJobAndRunningOrFinishedJobsHaveNone()
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
            // A job another worker abandoned (running, its lease expired) is claimed before any queued one: position 1 is taken.
            var abandoned = await client.CreateJobAsync(networkId, datasetId, 50);
            await using (var db = await app.Services.GetRequiredService<IDbContextFactory<BackpropDbContext>>().CreateDbContextAsync())
                await db.Jobs.Where(j => j.Id == abandoned).ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.Running)
                    .SetProperty(j => j.LeaseOwner, "crashed-elsewhere").SetProperty(j => j.LeaseExpiresAt, DateTime.UnixEpoch));
            queued.Add(abandoned);
            for (var i = 2; i <= Queued; i++)
            {
                var (_, body, _) = await client.SendAsync(HttpMethod.Post, "/api/jobs",
                    $$"""{ "networkId": "{{networkId}}", "datasetId": "{{datasetId}}", "epochs": 50, "learningRate": 0.5, "seed": {{i}} }""");
                Assert.Equal(i, body!["queuePosition"]!.GetValue<int>());
                queued.Add(body["id"]!.GetValue<string>());
            }

            // Each job, and the list (one page, newest first), show the same positions; the running job has none.
            shown = [];
            foreach (var id in queued.Skip(1)) shown[id] = (await client.GetJobAsync(id))["queuePosition"]!.GetValue<int>();
            Assert.Equal(Enumerable.Range(2, Queued - 1), queued.Skip(1).Select(id => shown[id]));
            Assert.Null((await client.GetJobAsync(abandoned))["queuePosition"]);
            shown[abandoned] = 1;
            var list = (await client.GetJsonAsync("/api/jobs?limit=10"))["items"]!.AsArray();
            Assert.All(list, j => Assert.Equal(shown.TryGetValue(j!["id"]!.GetValue<string>(), out var p) && p > 1 ? p : null, j!["queuePosition"]?.GetValue<int>()));
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
