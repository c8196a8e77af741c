using BackpropService.Persistence.Bulk;
using BackpropService.Persistence.Dialects;
using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Persistence.Tests.Dialects;

/// <summary>
/// The SQLite claim and a sweep's maxConcurrent: a trial of a sweep that already trains that many is skipped (the next
/// job that may start is claimed instead), a takeover of its running trial is not; the bulk insert stores trials as
/// SaveChanges would.
/// </summary>
public sealed class SweepClaimTests
{
    private static readonly DateTime Created = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    /// <summary>The network "n1" and dataset "d1" every job here uses, and the sweep "s1" that runs at most two trials at once.</summary>
    private static async Task AddNetworkDatasetAndSweepAsync(BackpropDbContext db)
    {
        db.Add(new Network { Id = "n1", Name = "xor", Kind = "layers", GraphJson = "{}", CreatedAt = Created });
        db.Add(new Dataset { Id = "d1", Name = "xor", Rows = 1, FeatureCount = 2, TargetCount = 1, Features = new byte[8], Targets = new byte[4], CreatedAt = Created });
        db.Add(new Sweep { Id = "s1", Name = "sweep", Metric = "cost", MaxConcurrent = 2, CreatedAt = Created });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task TheClaimSkipsTrialsOfAFullSweepButTakesOverItsAbandonedTrial()
    {
        using var database = new TemporaryDatabase();
        await using (var db = database.CreateContext())
        {
            await AddNetworkDatasetAndSweepAsync(db);
            await using var tx = await db.Database.BeginTransactionAsync();
            // Three trials, then a job of its own created after them.
            await BulkInsert.InsertAsync(db, [Job("t1", "s1", 0), Job("t2", "s1", 0), Job("t3", "s1", 0), Job("j4", null, 1)], database.Dialect.BulkInsertRowsPerStatement, default);
            await tx.CommitAsync();
        }

        var claims = new List<JobClaim?>();
        for (var i = 0; i < 4; i++) claims.Add(await ClaimAsync(database));
        Assert.Equal(["t1", "t2", "j4", null], claims.Select(c => c?.JobId));
        Assert.All(claims.Take(3), c => Assert.True(c!.FirstStart));

        // t1's worker died: its lease expired. Taking it over adds no running trial, so it is claimed; t3 still waits.
        await using (var db = database.CreateContext())
            await db.Jobs.Where(j => j.Id == "t1").ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseExpiresAt, DateTime.UtcNow.AddMinutes(-1)));
        var takeover = await ClaimAsync(database);
        Assert.Equal("t1", takeover?.JobId);
        Assert.False(takeover!.FirstStart); // it ran before: the new attempt rewinds to what its predecessor stored
        Assert.Null(await ClaimAsync(database));

        // t2 ends: a slot is free, and t3 is claimed.
        await using (var db = database.CreateContext())
            await db.Jobs.Where(j => j.Id == "t2").ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.Succeeded));
        Assert.Equal("t3", (await ClaimAsync(database))?.JobId);

        await using (var db = database.CreateContext())
        {
            var stored = await db.Jobs.AsNoTracking().FirstAsync(j => j.Id == "t3");
            Assert.Equal(("s1", "{\"seed\":1}", Created, 10), (stored.SweepId, stored.SweepParams, stored.CreatedAt, stored.Epochs));
        }
    }

    [Fact]
    public async Task OneClaimOfSeveralJobsTakesThemInQueueOrderAndFillsASweepOnlyToItsMaxConcurrent()
    {
        using var database = new TemporaryDatabase();
        await using (var db = database.CreateContext())
        {
            await AddNetworkDatasetAndSweepAsync(db);
            // An abandoned job (its lease expired) created last, three trials, then two jobs of their own created
            // together after them ("a5" before "j4": the Id breaks the tie).
            var abandoned = Job("e0", null, 2);
            (abandoned.Status, abandoned.LeaseExpiresAt, abandoned.AttemptToken, abandoned.Attempts, abandoned.StartedAt) =
                (JobStatus.Running, DateTime.UtcNow.AddMinutes(-1), "dead", 1, Created);
            await using var tx = await db.Database.BeginTransactionAsync();
            await BulkInsert.InsertAsync(db, [Job("t1", "s1", 0), Job("t2", "s1", 0), Job("t3", "s1", 0), Job("j4", null, 1), Job("a5", null, 1), abandoned],
                database.Dialect.BulkInsertRowsPerStatement, default);
            await tx.CommitAsync();
        }

        // Four slots: the abandoned job first, then the queue in order; t3 would be the sweep's third running trial.
        var first = await ClaimAsync(database, 4);
        Assert.Equal(["e0", "t1", "t2", "a5"], first.Select(c => c.JobId));
        Assert.Equal([false, true, true, true], first.Select(c => c.FirstStart));
        Assert.Equal([2, 1, 1, 1], first.Select(c => c.Attempts));
        Assert.Equal(4, first.Select(c => c.Token).Distinct().Count());
        Assert.Equal(["j4"], (await ClaimAsync(database, 4)).Select(c => c.JobId));
        Assert.Empty(await ClaimAsync(database, 4));

        // Every job taken holds its own lease and token, as a claim of one job writes them.
        foreach (var claim in first)
            Assert.Equal($"Running|worker|{claim.Token}|{claim.Attempts}",
                database.Scalar($"SELECT Status || '|' || LeaseOwner || '|' || AttemptToken || '|' || Attempts FROM Jobs WHERE Id = '{claim.JobId}'"));
    }

    private static async Task<IReadOnlyList<JobClaim>> ClaimAsync(TemporaryDatabase database, int count)
    {
        await using var db = database.CreateContext();
        return await database.Dialect.ClaimJobsAsync(db, new ClaimRequest("worker", TimeSpan.FromMinutes(5), TimeProvider.System), count, default);
    }

    private static async Task<JobClaim?> ClaimAsync(TemporaryDatabase database)
    {
        await using var db = database.CreateContext();
        return await database.Dialect.TryClaimJobAsync(db, new ClaimRequest("worker", TimeSpan.FromMinutes(5), TimeProvider.System), default);
    }

    private static TrainingJob Job(string id, string? sweepId, int minutesAfter) => new()
    {
        Id = id, NetworkId = "n1", DatasetId = "d1", Status = JobStatus.Queued, Epochs = 10, SettingsJson = "{}",
        CreatedAt = Created.AddMinutes(minutesAfter), SweepId = sweepId, SweepParams = sweepId is null ? null : "{\"seed\":1}",
    };
}
