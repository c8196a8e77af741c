using BackpropService.Persistence.History;
using BackpropService.Persistence.Tests.History;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Persistence.Tests;

/// <summary>Gradient norms in the history chunks: one blob per chunk (names once), read back by epoch, trimmed by a rewind, absent in older chunks.</summary>
public sealed class HistoryGradientNormsTests
{
    private static readonly string[] Names = ["layers.0.weights", "layers.0.bias"];

    private static HistoryEntry Entry(int epoch, bool norms = true) =>
        new(epoch, 1.0 / epoch, null, 0.5, null, norms ? Names : null, norms ? [epoch * 0.1, epoch * 0.01] : null);

    private static async Task<List<(int Epoch, string[]? Names, double[]? Norms)>> ReadAsync(BackpropDbContext db) =>
        (await HistoryStore.ReadAsync(db, "j1", 0, 100_000, CancellationToken.None))
        .Select(e => (e.Epoch, e.GradientNormNames?.ToArray(), e.GradientNorms)).ToList();

    [Fact]
    public async Task NormsRoundTripByEpochAndARewindTrimsThem()
    {
        using var database = new TemporaryDatabase();
        await using var db = database.CreateContext();
        HistoryJob.Seed(db);
        await HistoryStore.AppendAsync(db, "j1", Enumerable.Range(1, 5).Select(e => Entry(e)).ToArray(), CancellationToken.None);
        await HistoryStore.RewindAsync(db, "j1", 3, CancellationToken.None);
        await HistoryStore.AppendAsync(db, "j1", [Entry(4) with { GradientNorms = [double.PositiveInfinity, 7] }], CancellationToken.None);

        var read = await ReadAsync(db);
        Assert.Equal([1, 2, 3, 4], read.Select(r => r.Epoch));
        Assert.All(read, r => Assert.Equal(Names, r.Names));
        Assert.Equal([[0.1, 0.01], [0.2, 0.02], [0.30000000000000004, 0.03]], read.Take(3).Select(r => r.Norms!));
        Assert.True(double.IsNaN(read[3].Norms![0]));
        Assert.Equal(7, read[3].Norms![1]);
    }

    [Fact]
    public async Task AChunkWithNormsHoldsAtMost64KiBOfThemAndOlderChunksReadWithout()
    {
        using var database = new TemporaryDatabase();
        await using var db = database.CreateContext();
        HistoryJob.Seed(db);
        await HistoryStore.AppendAsync(db, "j1", Enumerable.Range(1, 3).Select(e => Entry(e, norms: false)).ToArray(), CancellationToken.None);
        var perChunk = GradientNormsCodec.MaxEpochsPerChunk(Names.Length);
        await HistoryStore.AppendAsync(db, "j1", Enumerable.Range(4, perChunk + 1).Select(e => Entry(e)).ToArray(), CancellationToken.None);

        var chunks = await db.LossChunks.AsNoTracking().OrderBy(c => c.FirstEpoch).ToListAsync();
        Assert.Equal([(1, 3), (4, 3 + perChunk), (4 + perChunk, 4 + perChunk)], chunks.Select(c => (c.FirstEpoch, c.LastEpoch)));
        Assert.Null(chunks[0].GradientNorms);
        Assert.InRange(chunks[1].GradientNorms!.Length, perChunk * Names.Length * sizeof(double), 65_536 + 64);
        var read = await ReadAsync(db);
        Assert.All(read.Take(3), r => Assert.Null(r.Norms));
        Assert.Equal([(perChunk + 3) * 0.1, (perChunk + 3) * 0.01], read[^2].Norms!);
    }
}
