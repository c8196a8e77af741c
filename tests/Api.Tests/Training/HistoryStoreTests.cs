using System.Text.Json.Nodes;
using BackpropService.Api.Training;
using BackpropService.Persistence;
using BackpropService.Persistence.Entities;
using BackpropService.Persistence.History;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests.Training;

/// <summary>History through <see cref="HistoryStore"/>, stored as chunks (one per flush): paging across chunk boundaries, trimming, NaN and validation costs.</summary>
public sealed class HistoryStoreTests : IAsyncLifetime
{
    private readonly BackpropApplication _app = new();
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _client = _app.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static HistoryEntry[] Epochs(int from, int to, bool validation = false) =>
        Enumerable.Range(from, to - from + 1).Select(e => new HistoryEntry(e, 1.0 / e, validation ? 2.0 / e : null)).ToArray();

    /// <summary>A finished job (the worker leaves it alone) whose history is written chunk by chunk.</summary>
    private async Task<string> JobWithChunksAsync(params HistoryEntry[][] flushes)
    {
        var (networkId, datasetId) = await _client.CreateXorAsync();
        var factory = _app.Services.GetRequiredService<IDbContextFactory<BackpropDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var job = new TrainingJob
        {
            Id = Guid.NewGuid().ToString(), NetworkId = networkId, DatasetId = datasetId, Status = JobStatus.Succeeded,
            Epochs = 1000, SettingsJson = "{}", CreatedAt = DateTime.UtcNow,
        };
        db.Jobs.Add(job);
        await db.SaveChangesAsync();
        foreach (var flush in flushes)
        {
            await HistoryStore.AppendAsync(db, job.Id, flush, CancellationToken.None);
        }
        return job.Id;
    }

    private static double[] Decoded(byte[] column, int count)
    {
        var values = new double[count];
        LossChunkCodec.Decode(column, count, 0, values);
        return values;
    }

    private async Task<List<JsonNode>> PageAsync(string jobId, string query) =>
        (await _client.GetJsonAsync($"/api/jobs/{jobId}/history{query}"))["points"]!.AsArray().Select(p => p!).ToList();

    private static List<int> EpochsOf(List<JsonNode> points) => points.Select(p => p["epoch"]!.GetValue<int>()).ToList();

    [Fact]
    public async Task PagesSliceChunksAcrossTheirBoundaries()
    {
        var jobId = await JobWithChunksAsync(Epochs(1, 5), Epochs(6, 6), Epochs(7, 20));

        Assert.Equal(Enumerable.Range(1, 20), EpochsOf(await PageAsync(jobId, "")));
        Assert.Equal([4, 5, 6, 7], EpochsOf(await PageAsync(jobId, "?after=3&limit=4")));
        Assert.Equal([6], EpochsOf(await PageAsync(jobId, "?after=5&limit=1")));
        Assert.Equal([7, 8], EpochsOf(await PageAsync(jobId, "?after=6&limit=2")));
        Assert.Equal([20], EpochsOf(await PageAsync(jobId, "?after=19")));
        Assert.Empty(await PageAsync(jobId, "?after=20"));

        // Every page of 3 in turn: each epoch once, in order, each with its own cost.
        var all = new List<JsonNode>();
        for (var after = 0; ; after = all[^1]["epoch"]!.GetValue<int>())
        {
            var page = await PageAsync(jobId, $"?after={after}&limit=3");
            if (page.Count == 0) break;
            all.AddRange(page);
        }
        Assert.Equal(Enumerable.Range(1, 20), EpochsOf(all));
        Assert.All(all, p => Assert.Equal(1.0 / p["epoch"]!.GetValue<int>(), p["cost"]!.GetValue<double>()));
        Assert.All(all, p => Assert.Null(p["validationCost"]));
    }

    [Fact]
    public async Task AFlushLongerThanAChunkIsSplitAndReadBackWhole()
    {
        var epochs = LossChunkCodec.MaxEpochsPerChunk + 10;
        var jobId = await JobWithChunksAsync(Epochs(1, epochs));
        var factory = _app.Services.GetRequiredService<IDbContextFactory<BackpropDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var chunks = await db.LossChunks.Where(c => c.JobId == jobId).OrderBy(c => c.FirstEpoch).Select(c => new { c.FirstEpoch, c.LastEpoch }).ToListAsync();
        Assert.Equal([(1, LossChunkCodec.MaxEpochsPerChunk), (LossChunkCodec.MaxEpochsPerChunk + 1, epochs)], chunks.Select(c => (c.FirstEpoch, c.LastEpoch)));
        var around = await HistoryStore.ReadAsync(db, jobId, LossChunkCodec.MaxEpochsPerChunk - 2, 4, CancellationToken.None);
        Assert.Equal(Enumerable.Range(LossChunkCodec.MaxEpochsPerChunk - 1, 4), around.Select(p => p.Epoch));
    }

    [Fact]
    public async Task NonFiniteCostsReadAsNullAndValidationCostsComeBackPerEpoch()
    {
        HistoryEntry[] flush = [new(1, 0.5, 0.6), new(2, double.NaN, 0.7), new(3, double.PositiveInfinity, double.NegativeInfinity)];
        var jobId = await JobWithChunksAsync(flush);
        var points = await PageAsync(jobId, "");
        Assert.Equal([1, 2, 3], EpochsOf(points));
        Assert.Equal(0.5, points[0]["cost"]!.GetValue<double>());
        Assert.Equal(0.6, points[0]["validationCost"]!.GetValue<double>());
        Assert.Null(points[1]["cost"]);
        Assert.Equal(0.7, points[1]["validationCost"]!.GetValue<double>());
        Assert.Null(points[2]["cost"]);
        Assert.Null(points[2]["validationCost"]);
    }

    [Fact]
    public async Task TrimmingDeletesLaterChunksAndCutsTheOneContainingTheEpoch()
    {
        var jobId = await JobWithChunksAsync(Epochs(1, 5, validation: true), Epochs(6, 10, validation: true), Epochs(11, 15, validation: true));
        var factory = _app.Services.GetRequiredService<IDbContextFactory<BackpropDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            await HistoryStore.RewindAsync(db, jobId, 7, CancellationToken.None);
            var chunks = await db.LossChunks.AsNoTracking().Where(c => c.JobId == jobId).OrderBy(c => c.FirstEpoch).ToListAsync();
            Assert.Equal([(1, 5), (6, 7)], chunks.Select(c => (c.FirstEpoch, c.LastEpoch)));
            Assert.Equal([1.0 / 6, 1.0 / 7], Decoded(chunks[1].Costs, 2));
            Assert.Equal([2.0 / 6, 2.0 / 7], Decoded(chunks[1].ValidationCosts!, 2));
            Assert.Equal(7, await HistoryStore.LastEpochAsync(db, jobId, CancellationToken.None));

            // Trimming at a chunk's last epoch, or past the end, changes nothing; appending continues the history.
            await HistoryStore.RewindAsync(db, jobId, 7, CancellationToken.None);
            await HistoryStore.RewindAsync(db, jobId, 100, CancellationToken.None);
            await HistoryStore.AppendAsync(db, jobId, Epochs(8, 9, validation: true), CancellationToken.None);
        }
        var points = await PageAsync(jobId, "");
        Assert.Equal(Enumerable.Range(1, 9), EpochsOf(points));
        Assert.All(points, p => Assert.Equal(2.0 / p["epoch"]!.GetValue<int>(), p["validationCost"]!.GetValue<double>()));

        await using (var db = await factory.CreateDbContextAsync())
        {
            await HistoryStore.RewindAsync(db, jobId, 0, CancellationToken.None);
            Assert.Equal(0, await HistoryStore.LastEpochAsync(db, jobId, CancellationToken.None));
        }
        Assert.Empty(await PageAsync(jobId, ""));
    }

    [Fact]
    public async Task StoredCostsAfterACheckpointAreReadForTheReplay()
    {
        var jobId = await JobWithChunksAsync(Epochs(1, 4), [new(5, double.NaN, null), .. Epochs(6, 8)]);
        var factory = _app.Services.GetRequiredService<IDbContextFactory<BackpropDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var costs = await HistoryStore.ReadCostsAsync(db, jobId, 3, 8, CancellationToken.None);
        var resume = new ResumePoint(null, 3, costs, streamedThrough: 3);
        Assert.Equal(8, resume.StoredThrough);
        Assert.True(resume.IsStored(4, 1.0 / 4));
        Assert.True(resume.IsStored(5, double.PositiveInfinity));
        Assert.False(resume.IsStored(6, Math.BitIncrement(1.0 / 6)));
        Assert.True(resume.IsStored(8, 1.0 / 8));
        Assert.False(resume.IsStored(3, 1.0 / 3));
        Assert.False(resume.IsStored(9, 1.0 / 9));
    }
}
