using BackpropService.Persistence.Entities;
using BackpropService.Persistence.Lifecycle;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Persistence.Tests.Lifecycle;

/// <summary>The conditional deletes on a real SQLite file: what a queued or running job protects, and what goes with a job.</summary>
public sealed class DeletionsTests
{
    [Theory]
    [InlineData(JobStatus.Queued, DeletionOutcome.InUse)]
    [InlineData(JobStatus.Running, DeletionOutcome.InUse)]
    [InlineData(JobStatus.Succeeded, DeletionOutcome.Deleted)]
    [InlineData(JobStatus.Failed, DeletionOutcome.Deleted)]
    [InlineData(JobStatus.Cancelled, DeletionOutcome.Deleted)]
    public async Task AJobGoesWithItsRowsOnlyOnceFinished(JobStatus status, DeletionOutcome expected)
    {
        using var database = new TemporaryDatabase();
        Seed(database, status);
        await using var db = database.CreateContext();

        var deletion = await Deletions.DeleteJobAsync(db, "j1", CancellationToken.None);

        Assert.Equal(expected, deletion.Outcome);
        var left = expected == DeletionOutcome.Deleted ? 0 : 1;
        Assert.Equal(left, await db.Jobs.CountAsync());
        Assert.Equal(left, await db.LossChunks.CountAsync());
        Assert.Equal(left, await db.Checkpoints.CountAsync());
        Assert.Equal(left, await db.WeightSnapshots.CountAsync());
        Assert.Equal(DeletionOutcome.NotFound, (await Deletions.DeleteJobAsync(db, "no-such-job", CancellationToken.None)).Outcome);
    }

    [Theory]
    [InlineData(JobStatus.Queued)]
    [InlineData(JobStatus.Running)]
    public async Task AnActiveJobKeepsItsNetworkAndDatasetAndIsNamed(JobStatus status)
    {
        using var database = new TemporaryDatabase();
        Seed(database, status);
        await using var db = database.CreateContext();

        var network = await Deletions.DeleteNetworkAsync(db, "n1", CancellationToken.None);
        var dataset = await Deletions.DeleteDatasetAsync(db, "d1", CancellationToken.None);

        Assert.Equal(new Deletion(DeletionOutcome.InUse, "j1", status.ToString()), network);
        Assert.Equal(new Deletion(DeletionOutcome.InUse, "j1", status.ToString()), dataset);
        Assert.Equal((1, 1, 1), (await db.Networks.CountAsync(), await db.Datasets.CountAsync(), await db.Jobs.CountAsync()));
    }

    [Fact]
    public async Task ANetworkGoesWithTheFinishedJobsTrainedOnIt()
    {
        using var database = new TemporaryDatabase();
        Seed(database, JobStatus.Succeeded);
        await using var db = database.CreateContext();

        Assert.Equal(Deletion.Deleted, await Deletions.DeleteNetworkAsync(db, "n1", CancellationToken.None));
        Assert.Equal((0, 1, 0, 0), (await db.Networks.CountAsync(), await db.Datasets.CountAsync(), await db.Jobs.CountAsync(), await db.LossChunks.CountAsync()));
    }

    [Fact]
    public async Task ForeignKeysAreEnforcedAndRecognised()
    {
        using var database = new TemporaryDatabase();
        Seed(database, JobStatus.Succeeded);
        await using var db = database.CreateContext();
        // Bypassing Deletions: the job still refers to the network, so the database itself refuses.
        var error = await Assert.ThrowsAnyAsync<Exception>(() => db.Networks.Where(n => n.Id == "n1").ExecuteDeleteAsync());
        Assert.True(database.Dialect.IsForeignKeyViolation(error), error is Microsoft.Data.Sqlite.SqliteException s ? $"{s.SqliteErrorCode}/{s.SqliteExtendedErrorCode}: {s.Message}" : error.ToString());
        Assert.False(database.Dialect.IsUniqueViolation(error));
    }

    private static void Seed(TemporaryDatabase database, JobStatus status)
    {
        using var db = database.CreateContext();
        db.Add(new Network { Id = "n1", Name = "xor", Kind = "layers", GraphJson = "{}", CreatedAt = DateTime.UtcNow });
        db.Add(new Dataset { Id = "d1", Name = "xor", Rows = 1, FeatureCount = 2, TargetCount = 1, Features = new byte[8], Targets = new byte[4], CreatedAt = DateTime.UtcNow });
        db.Add(new TrainingJob { Id = "j1", NetworkId = "n1", DatasetId = "d1", Status = status, Epochs = 10, SettingsJson = "{}", CreatedAt = DateTime.UtcNow });
        db.Add(new LossChunk { JobId = "j1", FirstEpoch = 1, LastEpoch = 1, Costs = new byte[8] });
        db.Add(new Checkpoint { JobId = "j1", Epoch = 1, State = [1], SavedAt = DateTime.UtcNow });
        db.Add(new WeightSnapshot { JobId = "j1", Epoch = 1, Parameters = [1], SavedAt = DateTime.UtcNow });
        db.SaveChanges();
    }
}
