using BackpropService.Persistence.Dialects;
using BackpropService.Persistence.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Persistence.Tests.Dialects;

/// <summary>
/// The SQLite claim's transaction: with an empty queue (after a claim that found nothing) it takes no write lock, so an
/// idle worker's wake-ups wait for no writer; it commits without an fsync of its own, on the claims' own connection,
/// leaving the context's connection FULL; a claim that failed leaves the next one working.
/// </summary>
public sealed class SqliteClaimTests
{
    private static readonly DateTime Created = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task AfterAClaimThatFoundNothingTheNextOneWaitsForNoWriterUntilAJobIsQueued()
    {
        using var database = new TemporaryDatabase();
        await using (var db = database.CreateContext())
        {
            db.Add(new Network { Id = "n1", Name = "xor", Kind = "layers", GraphJson = "{}", CreatedAt = Created });
            db.Add(new Dataset { Id = "d1", Name = "xor", Rows = 1, FeatureCount = 2, TargetCount = 1, Features = new byte[8], Targets = new byte[4], CreatedAt = Created });
            await db.SaveChangesAsync();
        }
        Assert.Empty(await ClaimAsync(database));

        // Another writer holds the write lock (a long flush, an admission): a claim that took it would wait, then fail.
        await using (var writer = new SqliteConnection($"Data Source={database.Path}"))
        {
            writer.Open();
            await using var lockHeld = writer.BeginTransaction(deferred: false); // BEGIN IMMEDIATE, rolled back at the end
            Assert.Empty(await ClaimAsync(database));
        }
        // Once a job is queued, the next claim takes it.
        await using (var db = database.CreateContext())
        {
            db.Add(new TrainingJob { Id = "j1", NetworkId = "n1", DatasetId = "d1", Status = JobStatus.Queued, Epochs = 10, SettingsJson = "{}", CreatedAt = Created });
            await db.SaveChangesAsync();
        }
        Assert.Equal(["j1"], (await ClaimAsync(database)).Select(c => c.JobId));
        Assert.Equal("Running", database.Scalar("SELECT Status FROM Jobs WHERE Id = 'j1'"));
    }

    [Fact]
    public async Task TheClaimLeavesItsConnectionWithSynchronousFull()
    {
        using var database = new TemporaryDatabase();
        await using var db = database.CreateContext();
        await db.Database.OpenConnectionAsync();
        await database.Dialect.ClaimJobsAsync(db, new ClaimRequest("worker", TimeSpan.FromMinutes(5), TimeProvider.System), 1, default);

        // The same open connection, which goes back to the pool for the next write: FULL (2), as every write needs.
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA synchronous;";
        Assert.Equal(2L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task AClaimThatFailedLeavesTheNextClaimWorking()
    {
        // Microsoft.Data.Sqlite retries a busy statement for the command timeout (30 s unless told): 1 s here.
        using var database = new TemporaryDatabase(busyTimeoutMilliseconds: 50, connectionOptions: "Default Timeout=1");
        await using (var db = database.CreateContext())
        {
            db.Add(new Network { Id = "n1", Name = "xor", Kind = "layers", GraphJson = "{}", CreatedAt = Created });
            db.Add(new Dataset { Id = "d1", Name = "xor", Rows = 1, FeatureCount = 2, TargetCount = 1, Features = new byte[8], Targets = new byte[4], CreatedAt = Created });
            db.Add(new TrainingJob { Id = "j1", NetworkId = "n1", DatasetId = "d1", Status = JobStatus.Queued, Epochs = 10, SettingsJson = "{}", CreatedAt = Created });
            await db.SaveChangesAsync();
        }

        // Another process holds the write lock past the busy timeout: the claim fails as a busy database, nothing taken.
        await using (var writer = new SqliteConnection($"Data Source={database.Path}"))
        {
            writer.Open();
            await using var lockHeld = writer.BeginTransaction(deferred: false);
            var error = await Assert.ThrowsAsync<SqliteException>(() => ClaimAsync(database));
            Assert.Equal(5, error.SqliteErrorCode);
        }
        // The claims' connection was closed with the failure; the next claim opens another and takes the job.
        Assert.Equal(["j1"], (await ClaimAsync(database)).Select(c => c.JobId));
        Assert.Empty(await ClaimAsync(database)); // and the next one, on the same connection and statements, finds it taken
        Assert.Equal("Running", database.Scalar("SELECT Status FROM Jobs WHERE Id = 'j1'"));
    }

    private static async Task<IReadOnlyList<JobClaim>> ClaimAsync(TemporaryDatabase database)
    {
        await using var db = database.CreateContext();
        return await database.Dialect.ClaimJobsAsync(db, new ClaimRequest("worker", TimeSpan.FromMinutes(5), TimeProvider.System), 1, default);
    }
}
