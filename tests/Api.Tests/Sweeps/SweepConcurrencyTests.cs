using BackpropService.Api.Testing;
using BackpropService.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests.Sweeps;

/// <summary>maxConcurrent is enforced by the claim itself; the queue positions follow what the claim does; creation is all or nothing.</summary>
public sealed class SweepConcurrencyTests
{
    [Fact]
    public async Task TheClaimSkipsTrialsOfAFullSweepAndAJobBehindThemStartsFirstAsItsPositionSaid()
    {
        // Two workers' worth of slots, but the sweep may use one.
        await using var app = new BackpropApplication(settings: new Dictionary<string, string?> { ["Training:MaxConcurrentJobs"] = "2" });
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        using var hold = EpochHold.Arm(app.InstanceName, 50);
        var sweepId = (await client.CreateSweepAsync(SweepClient.Xor(networkId, datasetId, 100,
            """ "grid": { "seed": [1, 2, 3] }, "maxConcurrent": 1 """)))["id"]!.GetValue<string>();
        var held = await hold.Reached.WaitAsync(TimeSpan.FromSeconds(60));

        // The trials behind the held one wait; a job posted after them is claimed first, in the free slot.
        var trials = await client.TrialsAsync(sweepId);
        var waiting = trials.Where(t => t["jobId"]!.GetValue<string>() != held).Select(t => t["jobId"]!.GetValue<string>()).ToList();
        Assert.Equal([1, 2], await PositionsAsync(client, waiting));
        var (_, posted, _) = await client.SendAsync(HttpMethod.Post, "/api/jobs",
            $$"""{ "networkId": "{{networkId}}", "datasetId": "{{datasetId}}", "epochs": 40, "learningRate": 0.5, "seed": 9 }""");
        // Posted after the trials, but claimed before them: they wait for the sweep's slot, it takes the free one.
        Assert.Equal(1, posted!["queuePosition"]!.GetValue<int>());

        var other = await client.WaitForFinishAsync(posted["id"]!.GetValue<string>());
        Assert.Equal("succeeded", JobClient.Status(other));

        // The worker claimed (and finished) a later job while a slot was free: the sweep's trials still wait.
        var sweep = await client.GetSweepAsync(sweepId);
        Assert.Equal((1, 2), (SweepClient.Count(sweep, "running"), SweepClient.Count(sweep, "queued")));
        Assert.Equal([1, 2], await PositionsAsync(client, waiting));
        hold.Release();

        var done = await client.WaitForSweepAsync(sweepId, SweepClient.Ended);
        Assert.Equal(3, SweepClient.Count(done, "succeeded"));
        // One at a time: each trial started after the one before it finished.
        var jobs = new List<System.Text.Json.Nodes.JsonNode>();
        foreach (var t in trials) jobs.Add(await client.GetJobAsync(t["jobId"]!.GetValue<string>()));
        var spans = jobs.Select(j => (Start: j["startedAt"]!.GetValue<DateTime>(), End: j["finishedAt"]!.GetValue<DateTime>())).OrderBy(s => s.Start).ToList();
        for (var i = 1; i < spans.Count; i++) Assert.True(spans[i].Start >= spans[i - 1].End, $"trial {i} started before trial {i - 1} ended");
    }

    private static async Task<List<int>> PositionsAsync(HttpClient client, IEnumerable<string> jobIds)
    {
        var positions = new List<int>();
        foreach (var id in jobIds) positions.Add((await client.GetJobAsync(id))["queuePosition"]!.GetValue<int>());
        return positions;
    }

    [Fact]
    public async Task ASweepIsCreatedInOneTransactionAllTrialsOrNone()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        // The 701st trial's insert fails, in a later statement than the first 500 trials' (BulkInsert writes 500 a statement).
        using (var connection = new SqliteConnection($"Data Source={app.DatabasePath}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TRIGGER fail_late BEFORE INSERT ON Jobs WHEN (SELECT COUNT(*) FROM Jobs WHERE SweepId = NEW.SweepId) >= 700
                BEGIN SELECT RAISE(ABORT, 'injected failure'); END;
                """;
            command.ExecuteNonQuery();
        }
        var (status, _, _) = await client.SendAsync(HttpMethod.Post, "/api/sweeps",
            SweepClient.Xor(networkId, datasetId, 10, """ "random": { "count": 1000, "space": { "seed": { "uniform": [1, 1000000] } } } """));
        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, status);

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BackpropDbContext>>().CreateDbContextAsync();
        Assert.Equal(0, await db.Sweeps.CountAsync());
        Assert.Equal(0, await db.Jobs.CountAsync());
    }
}
