using BackpropService.Persistence.Entities;
using BackpropService.Persistence.History;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Persistence.Tests.History;

/// <summary>
/// <see cref="HistoryStore"/> over the column layouts: chunks stored before them (raw doubles) and chunks stored in
/// them are paged, read for a replay and rewound, every value bit for bit.
/// </summary>
public sealed class HistoryChunkLayoutTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static void AssertSameEntries(IEnumerable<HistoryEntry> expected, IEnumerable<HistoryEntry> actual) =>
        Assert.Equal(expected.Select(Bits), actual.Select(Bits));

    private static (int, long, long?, long?, long?) Bits(HistoryEntry e) =>
        (e.Epoch, BitConverter.DoubleToInt64Bits(e.Cost), Bits(e.ValidationCost), Bits(e.Accuracy), Bits(e.ValidationAccuracy));

    private static long? Bits(double? value) => value is { } v ? BitConverter.DoubleToInt64Bits(v) : null;

    private static async Task<byte[]> StoredAsync(BackpropDbContext db, Func<LossChunk, byte[]?> column) =>
        column(await db.LossChunks.AsNoTracking().OrderByDescending(c => c.FirstEpoch).FirstAsync())!;

    [Fact]
    public async Task AChunkStoredAsRawDoublesIsPagedReplayedAndRewound()
    {
        using var database = new TemporaryDatabase();
        await using var db = database.CreateContext();
        HistoryJob.Seed(db);
        // As the format was before the layouts: every column 8 bytes a value; NaN for a non-finite value.
        await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO LossChunks (JobId, FirstEpoch, LastEpoch, Costs, ValidationCosts, Accuracies) VALUES ('j1', 1, 5, @costs, @validations, @accuracies)",
            new SqliteParameter("@costs", LegacyColumn.Of(0.7, 0.6, double.NaN, 0.4, 0.3)),
            new SqliteParameter("@validations", LegacyColumn.Of(0.8, 0.75, 0.7, 0.65, 0.6)),
            new SqliteParameter("@accuracies", LegacyColumn.Of(0.25, 0.5, 1.0 / 3, 1.0, 1.0)));
        HistoryEntry[] stored =
        [
            new(1, 0.7, 0.8, 0.25), new(2, 0.6, 0.75, 0.5), new(3, double.NaN, 0.7, 1.0 / 3), new(4, 0.4, 0.65, 1.0), new(5, 0.3, 0.6, 1.0),
        ];

        AssertSameEntries(stored, await HistoryStore.ReadAsync(db, HistoryJob.Id, 0, 100, None));
        AssertSameEntries(stored[2..4], await HistoryStore.ReadAsync(db, HistoryJob.Id, 2, 2, None));
        Assert.Equal(new[] { 0.6, double.NaN, 0.4 }, await HistoryStore.ReadCostsAsync(db, HistoryJob.Id, 1, 4, None));

        await HistoryStore.RewindAsync(db, HistoryJob.Id, 3, None);
        await HistoryStore.AppendAsync(db, HistoryJob.Id, [new HistoryEntry(4, 0.125, 0.5, 0.75)], None);
        AssertSameEntries([.. stored[..3], new(4, 0.125, 0.5, 0.75)], await HistoryStore.ReadAsync(db, HistoryJob.Id, 0, 100, None));
        Assert.Equal(new[] { 0.7, 0.6, double.NaN, 0.125 }, await HistoryStore.ReadCostsAsync(db, HistoryJob.Id, 0, 4, None));
    }

    [Fact]
    public async Task ChunksInEachLayoutArePagedReplayedAndRewoundBitForBit()
    {
        using var database = new TemporaryDatabase();
        await using var db = database.CreateContext();
        HistoryJob.Seed(db);
        // Costs a float32 loss widened (singles), validation costs no float32 (doubles), a converged accuracy (runs).
        var entries = Enumerable.Range(1, 3000)
            .Select(e => new HistoryEntry(e, (float)(1.0 / e), 1.0 / (e + 1), e < 100 ? e % 4 / 4.0 : 1.0, e < 2000 ? 0.5 : double.PositiveInfinity))
            .ToArray();
        await HistoryStore.AppendAsync(db, HistoryJob.Id, entries, None);
        Assert.Equal(1 + 4 * 3000, (await StoredAsync(db, c => c.Costs)).Length);
        Assert.Equal(8 * 3000, (await StoredAsync(db, c => c.ValidationCosts)).Length);
        Assert.Equal(2, (await StoredAsync(db, c => c.Accuracies))[0]);
        Assert.Equal(1 + 12 * 2, (await StoredAsync(db, c => c.ValidationAccuracies)).Length);

        // A non-finite accuracy reads as none.
        var expected = entries.Select(e => e.ValidationAccuracy is double.PositiveInfinity ? e with { ValidationAccuracy = null } : e).ToArray();
        AssertSameEntries(expected, await HistoryStore.ReadAsync(db, HistoryJob.Id, 0, 5000, None));
        AssertSameEntries(expected[1990..2010], await HistoryStore.ReadAsync(db, HistoryJob.Id, 1990, 20, None));
        Assert.Equal(entries[96..104].Select(e => e.Cost), await HistoryStore.ReadCostsAsync(db, HistoryJob.Id, 96, 104, None));

        await HistoryStore.RewindAsync(db, HistoryJob.Id, 2005, None);
        AssertSameEntries(expected[..2005], await HistoryStore.ReadAsync(db, HistoryJob.Id, 0, 5000, None));
        Assert.Equal(1 + 4 * 2005, (await StoredAsync(db, c => c.Costs)).Length);
        Assert.Equal(1 + 12 * 2, (await StoredAsync(db, c => c.ValidationAccuracies)).Length);
    }
}
