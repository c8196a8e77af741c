using BackpropService.Persistence.History;
using BackpropService.Persistence.Tests.History;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Persistence.Tests;

/// <summary>Accuracies in the history chunks: stored and read beside the costs, trimmed by a rewind, and absent (null) in chunks written before they were stored.</summary>
public sealed class HistoryAccuracyTests
{
    [Fact]
    public async Task AccuraciesRoundTripBesideTheCostsAndARewindTrimsThem()
    {
        using var database = new TemporaryDatabase();
        await using var db = database.CreateContext();
        HistoryJob.Seed(db);
        var entries = Enumerable.Range(1, 6).Select(e => new HistoryEntry(e, 1.0 / e, 2.0 / e, e / 8.0, e % 2 == 0 ? 0.5 : null)).ToArray();
        await HistoryStore.AppendAsync(db, "j1", entries, CancellationToken.None);

        Assert.Equal(entries, await HistoryStore.ReadAsync(db, "j1", 0, 100, CancellationToken.None));

        await HistoryStore.RewindAsync(db, "j1", 4, CancellationToken.None);
        await HistoryStore.AppendAsync(db, "j1", [new HistoryEntry(5, 0.3, null, 1.0, null)], CancellationToken.None);
        Assert.Equal([.. entries[..4], new HistoryEntry(5, 0.3, null, 1.0, null)], await HistoryStore.ReadAsync(db, "j1", 0, 100, CancellationToken.None));
    }

    [Fact]
    public async Task AChunkWrittenBeforeAccuraciesWereStoredReadsWithNullAccuracies()
    {
        using var database = new TemporaryDatabase();
        await using var db = database.CreateContext();
        HistoryJob.Seed(db);
        // Exactly the columns the format had before accuracies: costs and validation costs only.
        await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO LossChunks (JobId, FirstEpoch, LastEpoch, Costs, ValidationCosts) VALUES ('j1', 1, 3, @costs, NULL)",
            new SqliteParameter("@costs", LegacyColumn.Of(0.7, 0.6, 0.5)));
        await HistoryStore.AppendAsync(db, "j1", [new HistoryEntry(4, 0.4, null, 0.75, null)], CancellationToken.None);

        Assert.Equal(
            [new HistoryEntry(1, 0.7, null), new HistoryEntry(2, 0.6, null), new HistoryEntry(3, 0.5, null), new HistoryEntry(4, 0.4, null, 0.75, null)],
            await HistoryStore.ReadAsync(db, "j1", 0, 100, CancellationToken.None));
    }
}
