using BackpropService.Persistence.Entities;
using BackpropService.Persistence.History;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Persistence.Tests;

public sealed class BackpropDbContextTests
{
    private static (Network, Dataset, TrainingJob) Seed(BackpropDbContext db)
    {
        var network = new Network { Id = "n1", Name = "xor", Kind = "layers", GraphJson = "{}", Inputs = 2, Outputs = 1, ParameterCount = 9, CreatedAt = DateTime.UtcNow };
        var dataset = new Dataset { Id = "d1", Name = "xor", Rows = 1, FeatureCount = 2, TargetCount = 1, Features = new byte[8], Targets = new byte[4], CreatedAt = DateTime.UtcNow };
        var job = new TrainingJob { Id = "j1", NetworkId = "n1", DatasetId = "d1", Status = JobStatus.Queued, Epochs = 10, SettingsJson = "{}", CreatedAt = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc) };
        db.AddRange(network, dataset, job);
        db.SaveChanges();
        return (network, dataset, job);
    }

    [Fact]
    public void MigrationsMatchTheModelAndTheDatabaseRunsInWalModeWithABusyTimeoutAndFullSync()
    {
        using var database = new TemporaryDatabase();
        using var db = database.CreateContext();
        Assert.False(db.Database.HasPendingModelChanges(), "the model changed without a migration");
        Assert.Empty(db.Database.GetPendingMigrations());
        Assert.Equal("wal", database.Scalar("PRAGMA journal_mode;"));
        Assert.Equal(10_000L, database.Scalar("PRAGMA busy_timeout;"));
        Assert.Equal(2L, database.Scalar("PRAGMA synchronous;")); // FULL: a commit is on disk before it is acknowledged
    }

    [Fact]
    public void StatusIsStoredAsTextAndTimestampsComeBackUtc()
    {
        using var database = new TemporaryDatabase();
        using (var db = database.CreateContext()) Seed(db);
        Assert.Equal("Queued", database.Scalar("SELECT Status FROM Jobs WHERE Id = 'j1'"));
        using var read = database.CreateContext();
        var job = read.Jobs.Single();
        Assert.Equal(DateTimeKind.Utc, job.CreatedAt.Kind);
        Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), job.CreatedAt);
    }

    [Fact]
    public void AChunkStartingAtAnEpochCanBeRecordedOnlyOncePerJob()
    {
        using var database = new TemporaryDatabase();
        using (var db = database.CreateContext())
        {
            Seed(db);
            db.LossChunks.Add(new LossChunk { JobId = "j1", FirstEpoch = 1, LastEpoch = 2, Costs = LossChunkCodec.Encode([0.5, 0.4]) });
            db.SaveChanges();
        }
        using var again = database.CreateContext();
        again.LossChunks.Add(new LossChunk { JobId = "j1", FirstEpoch = 1, LastEpoch = 1, Costs = LossChunkCodec.Encode([0.4]) });
        Assert.Throws<DbUpdateException>(() => again.SaveChanges());
    }

    [Fact]
    public void AChunkStoresCostsInTheCodecsLayoutWithNaNForNonFiniteAndNoValidationColumnWhenThereIsNone()
    {
        using var database = new TemporaryDatabase();
        using (var db = database.CreateContext())
        {
            Seed(db);
            db.LossChunks.Add(new LossChunk { JobId = "j1", FirstEpoch = 1, LastEpoch = 3, Costs = LossChunkCodec.Encode([1.0, double.PositiveInfinity, double.NaN]) });
            db.SaveChanges();
        }
        // Singles (tag 1, then float32 1.0 = 0x3F800000 little-endian); NaN is stored for both non-finite costs.
        var hex = (string)database.Scalar("SELECT hex(Costs) FROM LossChunks")!;
        Assert.StartsWith("010000803F", hex, StringComparison.Ordinal);
        Assert.Equal((1 + 3 * 4) * 2, hex.Length);
        Assert.Equal(DBNull.Value, database.Scalar("SELECT ValidationCosts FROM LossChunks"));
        using var read = database.CreateContext();
        var chunk = read.LossChunks.Single();
        var costs = new double[3];
        LossChunkCodec.Decode(chunk.Costs, 3, 0, costs);
        Assert.Equal([1.0, double.NaN, double.NaN], costs);
        Assert.Equal(LossChunkCodec.Encode([1.0]), LossChunkCodec.Take(chunk.Costs, 3, 1));
    }

    [Fact]
    public void AConditionalClaimSucceedsOnceForTheSameToken()
    {
        using var database = new TemporaryDatabase();
        using (var db = database.CreateContext()) Seed(db);

        int Claim(string token)
        {
            using var db = database.CreateContext();
            return db.Jobs.Where(j => j.Id == "j1" && j.Status == JobStatus.Queued && j.AttemptToken == null)
                .ExecuteUpdate(s => s.SetProperty(j => j.Status, JobStatus.Running).SetProperty(j => j.AttemptToken, token));
        }

        Assert.Equal(1, Claim("first"));
        Assert.Equal(0, Claim("second"));
        Assert.Equal("first", database.Scalar("SELECT AttemptToken FROM Jobs WHERE Id = 'j1'"));
    }

    [Fact]
    public void DeletingAJobDeletesItsHistoryCheckpointAndWeights()
    {
        using var database = new TemporaryDatabase();
        using (var db = database.CreateContext())
        {
            Seed(db);
            db.LossChunks.Add(new LossChunk { JobId = "j1", FirstEpoch = 1, LastEpoch = 1, Costs = LossChunkCodec.Encode([double.NaN]) });
            db.Checkpoints.Add(new Checkpoint { JobId = "j1", Epoch = 1, State = [1, 2, 3], SavedAt = DateTime.UtcNow });
            db.WeightSnapshots.Add(new WeightSnapshot { JobId = "j1", Epoch = 1, Parameters = [4], SavedAt = DateTime.UtcNow });
            db.SaveChanges();
        }
        using (var db = database.CreateContext())
        {
            var cost = new double[1];
            LossChunkCodec.Decode(db.LossChunks.Single().Costs, 1, 0, cost);
            Assert.True(double.IsNaN(cost[0]));
            db.Jobs.Where(j => j.Id == "j1").ExecuteDelete();
        }
        Assert.Equal(0L, database.Scalar("SELECT COUNT(*) FROM LossChunks"));
        Assert.Equal(0L, database.Scalar("SELECT COUNT(*) FROM Checkpoints"));
        Assert.Equal(0L, database.Scalar("SELECT COUNT(*) FROM WeightSnapshots"));
    }
}
