using BackpropService.Persistence.Dialects;
using BackpropService.Persistence.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Persistence.Tests.Dialects;

/// <summary>
/// On SQLite the service's writers take turns in the process (WriteTurns): a write transaction, the worker's claim and
/// an admission batch each begin only once the write before them has ended, however it ended, and a writer that waits
/// longer than the busy timeout fails as a busy database does. Without the turns the waiting writer would block its
/// thread in SQLite's busy handler (Microsoft.Data.Sqlite's async calls run synchronously) until it failed with
/// SQLITE_BUSY: these tests would fail, not pass.
/// </summary>
public sealed class WriteTurnsTests
{
    private static readonly DateTime Created = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task AWriteBeginsOnlyOnceTheWriteBeforeItHasCommitted()
    {
        using var database = new TemporaryDatabase();
        await using var first = database.CreateContext();
        await using var second = database.CreateContext();

        var held = await first.BeginWriteAsync();
        var waiting = second.BeginWriteAsync();
        Assert.False(waiting.IsCompleted); // the turn is the first's: no transaction, no SQLite lock taken for the second

        first.Add(Network("n1"));
        await first.SaveChangesAsync();
        await held.CommitAsync();
        await using (var next = await waiting)
        {
            second.Add(Network("n2"));
            await second.SaveChangesAsync();
            await next.CommitAsync();
        }
        await held.DisposeAsync(); // after its commit: passes nothing more on

        Assert.Equal(2L, database.Scalar("SELECT COUNT(*) FROM Networks"));
        await using var third = database.CreateContext();
        await using var fourth = database.CreateContext();
        var free = await third.BeginWriteAsync(); // the turn is free again…
        var after = fourth.BeginWriteAsync();
        Assert.False(after.IsCompleted); // …once: passing the first's turn twice did not let two writers in
        await free.DisposeAsync();
        await (await after).DisposeAsync();
    }

    [Fact]
    public async Task ATransactionDisposedWithoutACommitPassesTheTurnOnAndWritesNothing()
    {
        using var database = new TemporaryDatabase();
        await using var first = database.CreateContext();
        await using var second = database.CreateContext();

        var held = await first.BeginWriteAsync();
        first.Add(Network("n1"));
        await first.SaveChangesAsync();
        var waiting = second.BeginWriteAsync();
        await held.DisposeAsync();

        await using (await waiting) { }
        Assert.Equal(0L, database.Scalar("SELECT COUNT(*) FROM Networks"));
    }

    [Fact]
    public async Task TheWorkersClaimWaitsForTheWriteBeforeItThenClaims()
    {
        using var database = new TemporaryDatabase();
        await SeedQueuedJobAsync(database);
        await using var writer = database.CreateContext();
        await using var claimer = database.CreateContext();

        var held = await writer.BeginWriteAsync();
        var claim = database.Dialect.ClaimJobsAsync(claimer, new ClaimRequest("worker", TimeSpan.FromMinutes(5), TimeProvider.System), 1, default);
        Assert.False(claim.IsCompleted);
        await held.CommitAsync();

        Assert.Equal(["j1"], (await claim).Select(c => c.JobId));
    }

    [Fact]
    public async Task AWriterThatWaitsLongerThanTheBusyTimeoutFailsAsABusyDatabase()
    {
        using var database = new TemporaryDatabase(busyTimeoutMilliseconds: 50);
        await using var first = database.CreateContext();
        await using var second = database.CreateContext();

        await using var held = await first.BeginWriteAsync();
        var error = await Assert.ThrowsAsync<SqliteException>(() => second.BeginWriteAsync());

        Assert.Equal(5, error.SqliteErrorCode); // SQLITE_BUSY: a storage fault, retried by the worker, a 503 for a request
        Assert.NotNull(database.Dialect.FindFault(error));
    }

    [Fact]
    public async Task AnAdmissionBatchTakesItsTurnAndPassesItOnAtItsCommit()
    {
        using var database = new TemporaryDatabase();
        await using var store = await Admission.AdmissionStore.OpenAsync(database.Factory, database.Dialect, default);
        await using var writer = database.CreateContext();

        await store.BeginAsync(default);
        var waiting = writer.BeginWriteAsync();
        Assert.False(waiting.IsCompleted);
        await store.CommitAsync(default);

        await using (await waiting) { }
    }

    private static async Task SeedQueuedJobAsync(TemporaryDatabase database)
    {
        await using var db = database.CreateContext();
        db.Add(Network("n1"));
        db.Add(new Dataset { Id = "d1", Name = "xor", Rows = 1, FeatureCount = 2, TargetCount = 1, Features = new byte[8], Targets = new byte[4], CreatedAt = Created });
        db.Add(new TrainingJob { Id = "j1", NetworkId = "n1", DatasetId = "d1", Status = JobStatus.Queued, Epochs = 10, SettingsJson = "{}", CreatedAt = Created });
        await db.SaveChangesAsync();
    }

    private static Network Network(string id) => new() { Id = id, Name = "xor", Kind = "layers", GraphJson = "{}", CreatedAt = Created };
}
