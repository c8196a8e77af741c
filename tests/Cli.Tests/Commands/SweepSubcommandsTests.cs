using System.Text.Json;
using BackpropService.Cli.Tests.Harness;

namespace BackpropService.Cli.Tests.Commands;

/// <summary><c>backprop sweeps</c>, <c>sweep show</c>, <c>sweep watch</c> and <c>sweep cancel</c>, and their error paths.</summary>
public sealed class SweepSubcommandsTests
{
    [Fact]
    public async Task SweepsListsAndShowPrintsTheCountsTheLeaderboardAndTheBest()
    {
        await using var cli = CliHarness.Start();
        using var client = cli.Client();
        var sweep = await client.EndAsync((await client.CreateSweepAsync(Sweeps.XorGrid(epochs: 50))).Id);
        var board = (await client.GetSweepTrialsAsync(sweep.Id)).Items;

        var list = await cli.RunAsync("sweeps");
        var listJson = await cli.RunAsync("sweeps", "--json");
        var show = await cli.RunAsync("sweep", "show", sweep.Id, "--top", "2");
        var showJson = await cli.RunAsync("sweep", "show", sweep.Id, "--json");
        var watch = await cli.RunAsync("sweep", "watch", sweep.Id);

        Assert.True(list.ExitCode == 0, list.ToString());
        var row = Assert.Single(list.Out.Split('\n'), l => l.Contains(sweep.Id));
        Assert.Contains("xor grid", row);
        Assert.Contains("succeeded", row);
        Assert.Contains("4/4", row);
        Assert.Equal(sweep.Id, JsonDocument.Parse(listJson.Out).RootElement[0].GetProperty("id").GetString());
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains($"sweep {sweep.Id} xor grid: succeeded", show.Out);
        Assert.Contains("4 trials: 4 succeeded; cost, lower is better", show.Out);
        Assert.Contains(board[0].JobId, show.Out);
        Assert.Contains(board[1].JobId, show.Out);
        Assert.DoesNotContain(board[2].JobId, show.Out);
        Assert.Contains($"best: job {sweep.Best!.JobId}", show.Out);
        var shown = JsonDocument.Parse(showJson.Out).RootElement;
        Assert.Equal(board.Select(t => t.JobId), shown.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("jobId").GetString()));
        Assert.Equal("succeeded", shown.GetProperty("sweep").GetProperty("status").GetString());
        Assert.True(watch.ExitCode == 0, watch.ToString());
        Assert.Contains($"succeeded: 4 trials: 4 succeeded; cost, lower is better  sweep {sweep.Id}", watch.Out);
    }

    [Fact]
    public async Task CancelStopsARunningSweepAndCancellingItAgainIsAConflict()
    {
        await using var cli = CliHarness.Start();
        using var client = cli.Client();
        var sweep = await client.CreateSweepAsync(Sweeps.XorGrid(epochs: 5_000_000, maxConcurrent: 1));
        await client.RunningAsync(sweep.Id);

        var cancel = await cli.RunAsync("sweep", "cancel", sweep.Id);
        var again = await cli.RunAsync("sweep", "cancel", sweep.Id);
        var watch = await cli.RunAsync("sweep", "watch", sweep.Id, "--json");

        Assert.True(cancel.ExitCode == 0, cancel.ToString());
        Assert.StartsWith($"sweep {sweep.Id}: cancelled (4 trials: ", cancel.Out.Trim());
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("(409)", again.Error);
        Assert.Equal(1, watch.ExitCode);
        Assert.Equal("cancelled", JsonDocument.Parse(watch.Out).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task AnUnknownSweepIsANotFoundProblemAndExitCodeTwo()
    {
        await using var cli = CliHarness.Start();

        var show = await cli.RunAsync("sweep", "show", "no-such-sweep");
        var watch = await cli.RunAsync("sweep", "watch", "no-such-sweep");
        var cancel = await cli.RunAsync("sweep", "cancel", "no-such-sweep");
        var none = await cli.RunAsync("sweeps");

        Assert.All(new[] { show, watch, cancel }, r => Assert.True(r.ExitCode == 2 && r.Error.Contains("(404)") && r.Error.Contains("no-such-sweep"), r.ToString()));
        Assert.Equal("no sweeps", none.Out.Trim());
    }
}
