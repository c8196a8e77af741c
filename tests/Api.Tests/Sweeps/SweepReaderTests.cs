using System.Text.Json;
using BackpropService.Api.Sweeps;
using BackpropService.Persistence;
using BackpropService.Persistence.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests.Sweeps;

/// <summary>
/// The sweep object from its trials' rows as they move through their states: the one-sweep read (its GET, compiled
/// queries) and the list's batched read give the same object, with the counts, status, finish and best trial the
/// rows imply; and the owner filter holds in both.
/// </summary>
public sealed class SweepReaderTests : IDisposable
{
    private static readonly DateTime T0 = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"backprop-sweep-reader-{Guid.NewGuid():N}.db");
    private readonly ServiceProvider _services;

    public SweepReaderTests()
    {
        _services = new ServiceCollection().AddPersistence(_ => $"Data Source={_path}").BuildServiceProvider();
        _services.InitializeDatabase();
        using var db = Context();
        db.Add(new Network { Id = "n", Name = "xor", Kind = "layers", GraphJson = "{}", Inputs = 2, Outputs = 1, ParameterCount = 9, CreatedAt = T0, Owner = "alice" });
        db.Add(new Dataset { Id = "d", Name = "xor", Rows = 1, FeatureCount = 2, TargetCount = 1, Features = new byte[8], Targets = new byte[4], CreatedAt = T0, Owner = "alice" });
        db.SaveChanges();
    }

    [Fact]
    public async Task TheSweepFollowsItsTrialsFromQueuedToRunningToEndedAndCancelled()
    {
        Seed("s", "cost", trials: 4);
        await AssertReadsAsync("s", "queued", (4, 4, 0, 0, 0, 0), best: null, finishedAt: null);

        Update("s1", j => j.Status = JobStatus.Running);
        await AssertReadsAsync("s", "running", (4, 3, 1, 0, 0, 0), best: null, finishedAt: null);

        // The value is early stopping's best when there is one, else the final cost.
        Update("s1", j => (j.Status, j.Cost, j.FinishedAt) = (JobStatus.Succeeded, 0.5, T0.AddSeconds(1)));
        Update("s2", j => (j.Status, j.Cost, j.BestMetric, j.FinishedAt) = (JobStatus.Succeeded, 0.9, 0.2, T0.AddSeconds(2)));
        await AssertReadsAsync("s", "running", (4, 2, 0, 2, 0, 0), best: ("s2", 2, 0.2), finishedAt: null);

        // A tie goes to the earlier trial; the finish is the last trial's, failed or not.
        Update("s3", j => (j.Status, j.Error, j.FinishedAt) = (JobStatus.Failed, "diverged", T0.AddSeconds(5)));
        Update("s4", j => (j.Status, j.Cost, j.FinishedAt) = (JobStatus.Succeeded, 0.2, T0.AddSeconds(3)));
        await AssertReadsAsync("s", "succeeded", (4, 0, 0, 3, 1, 0), best: ("s2", 2, 0.2), finishedAt: T0.AddSeconds(5));

        using (var db = Context())
            await db.Sweeps.Where(s => s.Id == "s").ExecuteUpdateAsync(u => u.SetProperty(s => s.CancelledAt, T0.AddSeconds(9)));
        await AssertReadsAsync("s", "cancelled", (4, 0, 0, 3, 1, 0), best: ("s2", 2, 0.2), finishedAt: T0.AddSeconds(9));
    }

    [Fact]
    public async Task AllTrialsFailedOrCancelledIsFailedWithoutABestAndAnAccuracyRanksTheHighestFirst()
    {
        Seed("f", "cost", trials: 2);
        Update("f1", j => (j.Status, j.FinishedAt) = (JobStatus.Failed, T0.AddSeconds(4)));
        Update("f2", j => (j.Status, j.FinishedAt) = (JobStatus.Cancelled, T0.AddSeconds(3)));
        await AssertReadsAsync("f", "failed", (2, 0, 0, 0, 1, 1), best: null, finishedAt: T0.AddSeconds(4));

        Seed("a", "accuracy", trials: 3);
        Update("a1", j => (j.Status, j.Accuracy, j.Cost, j.FinishedAt) = (JobStatus.Succeeded, 0.5, 0.1, T0.AddSeconds(1)));
        Update("a2", j => (j.Status, j.Accuracy, j.Cost, j.FinishedAt) = (JobStatus.Succeeded, 0.75, 0.3, T0.AddSeconds(2)));
        Update("a3", j => j.Status = JobStatus.Running);
        await AssertReadsAsync("a", "running", (3, 0, 1, 2, 0, 0), best: ("a2", 2, 0.75), finishedAt: null);
    }

    [Fact]
    public async Task AnotherOwnersContextCountsNoneOfTheTrials()
    {
        Seed("o", "cost", trials: 2);
        Update("o1", j => (j.Status, j.Cost, j.FinishedAt) = (JobStatus.Succeeded, 0.4, T0.AddSeconds(1)));
        await AssertReadsAsync("o", "running", (2, 1, 0, 1, 0, 0), best: ("o1", 1, 0.4), finishedAt: null, owner: "alice");
        await AssertReadsAsync("o", "failed", (0, 0, 0, 0, 0, 0), best: null, finishedAt: null, owner: "mallory");
    }

    private async Task AssertReadsAsync(string sweepId, string status, (int, int, int, int, int, int) counts, (string JobId, int Seed, double Value)? best,
        DateTime? finishedAt, string? owner = null)
    {
        using var db = Context();
        db.OwnerFilter = owner;
        var sweep = await db.Sweeps.AsNoTracking().IgnoreQueryFilters().SingleAsync(s => s.Id == sweepId);
        var one = await SweepReader.ReadAsync(db, sweep, CancellationToken.None);
        var listed = (await SweepReader.ReadAsync(db, [sweep], CancellationToken.None)).Single();

        Assert.Equal(JsonSerializer.Serialize(listed), JsonSerializer.Serialize(one));
        Assert.Equal(status, one.Status);
        var c = one.Trials;
        Assert.Equal(counts, (c.Total, c.Queued, c.Running, c.Succeeded, c.Failed, c.Cancelled));
        Assert.Equal(best, one.Best is { } b ? (b.JobId, b.Params.GetProperty("seed").GetInt32(), b.Value) : null);
        Assert.Equal(finishedAt, one.FinishedAt);
    }

    private void Seed(string sweepId, string metric, int trials)
    {
        using var db = Context();
        db.Add(new Sweep { Id = sweepId, Name = sweepId, Metric = metric, CreatedAt = T0, Owner = "alice" });
        for (var i = 1; i <= trials; i++)
            db.Add(new TrainingJob
            {
                Id = $"{sweepId}{i}", NetworkId = "n", DatasetId = "d", Status = JobStatus.Queued, Epochs = 10, SettingsJson = "{}",
                CreatedAt = T0, SweepId = sweepId, SweepParams = $$"""{"seed":{{i}}}""", Owner = "alice",
            });
        db.SaveChanges();
    }

    private void Update(string jobId, Action<TrainingJob> change)
    {
        using var db = Context();
        change(db.Jobs.Single(j => j.Id == jobId));
        db.SaveChanges();
    }

    private BackpropDbContext Context() => _services.GetRequiredService<IDbContextFactory<BackpropDbContext>>().CreateDbContext();

    public void Dispose()
    {
        _services.Dispose();
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
            try { File.Delete(file); } catch (IOException) { }
    }
}
