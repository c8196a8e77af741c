using System.Text.Json;
using BackpropService.Client.Models;
using BackpropService.Client.Tests.Harness;

namespace BackpropService.Client.Tests;

/// <summary>Sweeps against the service in-process: create, watch to the end, the leaderboard, list, cancel, bad requests.</summary>
public sealed class BackpropClientSweepsTests
{
    private static SweepRequest XorGrid(int epochs, int? maxConcurrent = null) => new()
    {
        Name = "xor: rate × seed",
        Base = Xor.Job(epochs),
        Grid = new Dictionary<string, JsonElement[]> { ["learningRate"] = SweepValues.Of(0.5, 2.0), ["seed"] = SweepValues.Of(1, 2) },
        Metric = "cost",
        MaxConcurrent = maxConcurrent,
    };

    [Fact]
    public async Task ASmallGridIsWatchedToItsEndAndItsLeaderboardRanksTheTrialsByTheirFinalCost()
    {
        await using var service = TestService.Start();
        using var client = service.Client();

        var sweep = await client.CreateSweepAsync(XorGrid(epochs: 200));
        Assert.Equal(4, sweep.Trials.Total);
        Assert.Equal("cost", sweep.Metric);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var updates = await client.WatchSweepAsync(sweep.Id, timeout.Token).ToListAsync(timeout.Token);

        var last = Assert.IsType<SweepUpdate.SweepChanged>(updates[^1]).Sweep;
        Assert.Equal(SweepStatus.Succeeded, last.Status);
        Assert.Equal(new SweepTrialCounts(4, 0, 0, 4, 0, 0), last.Trials);
        Assert.DoesNotContain(updates.SkipLast(1), u => u is SweepUpdate.SweepChanged { Sweep.IsFinished: true });

        var board = (await client.GetSweepTrialsAsync(sweep.Id)).Items;
        Assert.Equal(4, board.Count);
        foreach (var trial in board)
        {
            var job = await client.GetJobAsync(trial.JobId);
            Assert.Equal(sweep.Id, job.SweepId);
            Assert.Equal(job.Cost, trial.Value);
            Assert.Equal(job.LearningRate, trial.Params["learningRate"].GetDouble());
            Assert.Equal(job.Seed, trial.Params["seed"].GetUInt64());
        }
        Assert.Equal(board.Select(t => t.Value).Order(), board.Select(t => t.Value));
        // Trial messages (those sent after the subscription: a fast trial may end before it) are the sweep's own trials.
        Assert.All(updates.OfType<SweepUpdate.TrialChanged>(), t => Assert.Contains(t.Trial.JobId, board.Select(b => b.JobId)));
        Assert.Equal(
            ["0.5/1", "0.5/2", "2/1", "2/2"],
            board.Select(t => $"{t.Params["learningRate"].GetDouble()}/{t.Params["seed"].GetInt32()}").Order());
        Assert.Equal(board[0].JobId, last.Best!.JobId);
        Assert.Equal(board[0].Value, last.Best.Value);

        // Paged: the same ranking in pages of three.
        var first = await client.GetSweepTrialsAsync(sweep.Id, limit: 3);
        var rest = await client.GetSweepTrialsAsync(sweep.Id, limit: 3, cursor: first.Next);
        Assert.Equal(board.Select(t => t.JobId), first.Items.Concat(rest.Items).Select(t => t.JobId));
        Assert.Null(rest.Next);
    }

    [Fact]
    public async Task AnAccuracyMetricRanksTheTrialsHighestFirst()
    {
        await using var service = TestService.Start();
        using var client = service.Client();

        var sweep = await client.CreateSweepAsync(XorGrid(epochs: 300) with { Metric = "accuracy" });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await foreach (var _ in client.WatchSweepAsync(sweep.Id, timeout.Token)) { }
        var board = (await client.GetSweepTrialsAsync(sweep.Id)).Items;

        Assert.True(sweep.HigherIsBetter);
        Assert.Equal(board.Select(t => t.Value).OrderDescending(), board.Select(t => t.Value));
        foreach (var trial in board) Assert.Equal((await client.GetJobAsync(trial.JobId)).Accuracy, trial.Value);
    }

    [Fact]
    public async Task SweepsAreListedNewestFirstAndRandomDrawsAreCombinedWithTheGrid()
    {
        await using var service = TestService.Start();
        using var client = service.Client();
        var grid = await client.CreateSweepAsync(XorGrid(epochs: 5));
        var random = await client.CreateSweepAsync(new SweepRequest
        {
            Base = Xor.Job(epochs: 5),
            Grid = new Dictionary<string, JsonElement[]> { ["seed"] = SweepValues.Of(1, 2) },
            Random = new SweepRandom
            {
                Count = 3,
                Seed = 7,
                Space = new Dictionary<string, SweepRange>
                {
                    ["learningRate"] = SweepRange.LogBetween(0.01, 1),
                    ["batchSize"] = SweepRange.OneOf(2, 4),
                },
            },
        });

        var first = await client.ListSweepsAsync(limit: 1);
        var rest = await client.ListSweepsAsync(limit: 1, cursor: first.Next);
        var trials = (await client.GetSweepTrialsAsync(random.Id)).Items;

        Assert.Equal([random.Id, grid.Id], first.Items.Concat(rest.Items).Select(s => s.Id));
        Assert.Equal(6, random.Trials.Total);
        Assert.Equal(6, trials.Count);
        Assert.All(trials, t =>
        {
            Assert.InRange(t.Params["learningRate"].GetDouble(), 0.01, 1);
            Assert.Contains(t.Params["batchSize"].GetInt32(), new[] { 2, 4 });
        });
        Assert.Equal(3, trials.Count(t => t.Params["seed"].GetInt32() == 1));
    }

    [Fact]
    public async Task ARunningSweepIsCancelledWhileWatchedAndASecondCancelIsAConflict()
    {
        await using var service = TestService.Start();
        using var client = service.Client();
        var sweep = await client.CreateSweepAsync(XorGrid(epochs: 5_000_000, maxConcurrent: 1));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var updates = client.WatchSweepAsync(sweep.Id, timeout.Token).GetAsyncEnumerator(timeout.Token);

        // Cancel once a trial is seen training.
        string? running = null;
        while (running is null && await updates.MoveNextAsync())
            if (updates.Current is SweepUpdate.TrialChanged { Trial: { Status: JobStatus.Running, EpochsCompleted: > 0 } trial }) running = trial.JobId;
        Assert.NotNull(running);
        var cancelled = await client.CancelSweepAsync(sweep.Id);
        Assert.Equal(SweepStatus.Cancelled, cancelled.Status);
        var last = (SweepUpdate?)null;
        while (await updates.MoveNextAsync()) last = updates.Current;

        Assert.Equal(SweepStatus.Cancelled, Assert.IsType<SweepUpdate.SweepChanged>(last).Sweep.Status);
        Assert.Equal(JobStatus.Cancelled, (await client.FinishAsync(running)).Status);
        var after = await client.GetSweepAsync(sweep.Id);
        Assert.Equal(4, after.Trials.Cancelled);
        Assert.Null(after.Best);
        var again = await Assert.ThrowsAsync<BackpropApiException>(() => client.CancelSweepAsync(sweep.Id));
        Assert.Equal(409, again.Status);
    }

    [Fact]
    public async Task ABadSweepIsAProblemNamingThePathOfWhatIsWrong()
    {
        await using var service = TestService.Start();
        using var client = service.Client();

        var value = await Assert.ThrowsAsync<BackpropApiException>(() => client.CreateSweepAsync(XorGrid(epochs: 5) with
        {
            Grid = new Dictionary<string, JsonElement[]> { ["learningRate"] = SweepValues.Of(0.5, -1.0) },
        }));
        var field = await Assert.ThrowsAsync<BackpropApiException>(() => client.CreateSweepAsync(XorGrid(epochs: 5) with
        {
            Grid = new Dictionary<string, JsonElement[]> { ["learningRat"] = SweepValues.Of(0.5) },
        }));
        var range = await Assert.ThrowsAsync<BackpropApiException>(() => client.CreateSweepAsync(XorGrid(epochs: 5) with
        {
            Random = new SweepRandom { Count = 2, Space = new Dictionary<string, SweepRange> { ["learningRate"] = SweepRange.LogBetween(1, 0.1) } },
            Grid = null,
        }));

        Assert.Equal(400, value.Status);
        Assert.Contains("grid.learningRate[1]", value.Errors.Keys);
        Assert.Contains("grid.learningRat", field.Errors.Keys);
        Assert.Contains(range.Errors.Keys, k => k.StartsWith("random.space.learningRate", StringComparison.Ordinal));
        Assert.Empty((await client.ListSweepsAsync()).Items);
    }

    [Fact]
    public async Task AnUnknownSweepIsANotFoundProblemEverywhere()
    {
        await using var service = TestService.Start();
        using var client = service.Client();

        Assert.Equal(404, (await Assert.ThrowsAsync<BackpropApiException>(() => client.GetSweepAsync("missing"))).Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<BackpropApiException>(() => client.GetSweepTrialsAsync("missing"))).Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<BackpropApiException>(() => client.CancelSweepAsync("missing"))).Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<BackpropApiException>(() => client.WatchSweepAsync("missing").ToListAsync().AsTask())).Status);
    }
}
