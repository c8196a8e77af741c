using BackpropService.Persistence.Dialects;
using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Persistence.Tests.Dialects;

/// <summary>
/// The claim's seek is an index seek whatever the queue holds: a sweep's trials all share their sweep's CreatedAt, and
/// the claim orders by (CreatedAt, Id), so the index must carry Id too; without it SQLite sorted every queued trial
/// of the sweep in a temporary B-tree on every claim (docs/performance.md, "the claim's seek").
/// </summary>
public sealed class ClaimSeekPlanTests
{
    private static readonly DateTime Created = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task TheSeekReadsTheQueueInIndexOrderWithoutSortingASweepsTrials()
    {
        using var database = new TemporaryDatabase();
        await using (var db = database.CreateContext())
        {
            db.Add(new Network { Id = "n1", Name = "xor", Kind = "layers", GraphJson = "{}", CreatedAt = Created });
            db.Add(new Dataset { Id = "d1", Name = "xor", Rows = 1, FeatureCount = 2, TargetCount = 1, Features = new byte[8], Targets = new byte[4], CreatedAt = Created });
            for (var i = 0; i < 200; i++)
                db.Add(new TrainingJob { Id = $"t{i:D3}", NetworkId = "n1", DatasetId = "d1", SweepId = "s1", Status = JobStatus.Queued, Epochs = 10, SettingsJson = "{}", CreatedAt = Created });
            await db.SaveChangesAsync();
        }

        var plan = await PlanAsync(database, JobClaimStatements.Seek(rowLock: ""));

        // Both candidate lists (expired leases, queued jobs) are read in index order and stop at their LIMIT: no sort
        // of the rows they pass over ("RIGHT PART OF ORDER BY" sorted every queued trial of the oldest sweep). Only
        // the union of the two short lists is sorted.
        Assert.Equal(2, plan.Count(step => step.Contains("USING", StringComparison.Ordinal) && step.Contains("INDEX IX_Jobs_Status_CreatedAt_Id (Status=?)", StringComparison.Ordinal)));
        Assert.DoesNotContain(plan, step => step.Contains("RIGHT PART OF ORDER BY", StringComparison.Ordinal));
        // And it still takes the oldest trial first, Id breaking the tie.
        await using var claimer = database.CreateContext();
        var claims = await database.Dialect.ClaimJobsAsync(claimer, new ClaimRequest("worker", TimeSpan.FromMinutes(5), TimeProvider.System), 2, default);
        Assert.Equal(["t000", "t001"], claims.Select(c => c.JobId));
    }

    private static async Task<List<string>> PlanAsync(TemporaryDatabase database, string seek)
    {
        await using var db = database.CreateContext();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + seek;
        foreach (var (name, value) in new (string, object)[] { ("@running", "Running"), ("@queued", "Queued"), ("@now", DateTime.UtcNow), ("@count", 1) })
        {
            var parameter = command.CreateParameter();
            (parameter.ParameterName, parameter.Value) = (name, value);
            command.Parameters.Add(parameter);
        }
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) plan.Add(reader.GetString(3));
        return plan;
    }
}
