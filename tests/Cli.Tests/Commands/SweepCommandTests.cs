using System.Globalization;
using System.Text.Json;
using BackpropService.Cli.Tests.Harness;
using BackpropService.Client.Models;
using Spectre.Console.Testing;

namespace BackpropService.Cli.Tests.Commands;

/// <summary><c>backprop sweep</c>: submitted from flags or a file, followed to the best trial, detached, interrupted.</summary>
public sealed class SweepCommandTests
{
    [Fact]
    public async Task ASweepFromFlagsRunsEveryCombinationAndEndsWithTheBestTrialsParamsAndValue()
    {
        await using var cli = CliHarness.Start();

        var result = await cli.RunAsync(XorFiles.SweepArgs(cli, epochs: 200, "--name", "rate x seed"));

        Assert.True(result.ExitCode == 0, result.ToString());
        using var client = cli.Client();
        var sweep = Assert.Single((await client.ListSweepsAsync()).Items);
        var best = sweep.Best!;
        var board = (await client.GetSweepTrialsAsync(sweep.Id)).Items;
        Assert.Equal(SweepStatus.Succeeded, sweep.Status);
        Assert.Equal("rate x seed", sweep.Name);
        Assert.Contains($"sweep rate x seed: 4 trials, ranked by cost: sweep {sweep.Id}", result.Out);
        // Redirected: no live display, the final leaderboard once, best first.
        var rows = result.Out.Split('\n').Where(l => !l.StartsWith("best:", StringComparison.Ordinal) && board.Any(t => l.Contains(t.JobId))).ToList();
        Assert.Equal(board.Select(t => t.JobId), rows.Select(l => board.First(t => l.Contains(t.JobId)).JobId));
        var lines = result.Out.TrimEnd().Split('\n');
        Assert.Equal($"succeeded: 4 trials: 4 succeeded; cost, lower is better  sweep {sweep.Id}", lines[^2].TrimEnd());
        var rate = best.Params["learningRate"].GetRawText();
        var seed = best.Params["seed"].GetRawText();
        Assert.Equal($"best: job {best.JobId}  learningRate={rate} seed={seed}  cost {best.Value.ToString("G6", CultureInfo.InvariantCulture)}", lines[^1].TrimEnd());
        Assert.Equal(board[0].JobId, best.JobId);
        Assert.Empty(result.Error);
    }

    [Fact]
    public async Task OnATerminalTheLeaderboardIsLiveAndWithJsonTheEndedSweepIsPrinted()
    {
        await using var cli = CliHarness.Start();

        var live = await cli.RunAsync(new TestConsole().Interactive(), XorFiles.SweepArgs(cli, epochs: 100, "--metric", "accuracy"));
        var json = await cli.RunAsync(XorFiles.SweepArgs(cli, epochs: 100, "--json"));

        Assert.True(live.ExitCode == 0, live.ToString());
        Assert.Contains("learningRate", live.Out);
        Assert.Contains("4 trials: 4 succeeded; accuracy, higher is better", live.Out);
        Assert.Contains("best: job ", live.Out);
        Assert.True(json.ExitCode == 0, json.ToString());
        var sweep = JsonDocument.Parse(json.Out).RootElement;
        Assert.Equal("succeeded", sweep.GetProperty("status").GetString());
        Assert.Equal(4, sweep.GetProperty("trials").GetProperty("succeeded").GetInt32());
        Assert.Equal(JsonValueKind.String, sweep.GetProperty("best").GetProperty("jobId").ValueKind);
    }

    [Fact]
    public async Task AFileGivesTheSweepAndFlagsOverrideItsMembersAndDetachReturnsAtOnce()
    {
        await using var cli = CliHarness.Start();
        var file = cli.File("sweep.json", """
            { "name": "from the file", "metric": "cost", "maxConcurrent": 3,
              // comments and trailing commas are fine, as in a network file
              "base": { "network": { "inputs": 2, "layers": [ { "units": 2, "activation": "sigmoid" }, { "units": 1, "activation": "sigmoid" } ],
                                     "loss": "binary_cross_entropy" },
                        "dataset": { "features": [[0,0],[0,1],[1,0],[1,1]], "targets": [[0],[1],[1],[0]] },
                        "epochs": 5, "learningRate": 0.5 },
              "grid": { "seed": [1, 2, 3] }, }
            """);

        var json = await cli.RunAsync("sweep", "--file", file, "--epochs", "7", "--max-concurrent", "1", "--detach", "--json");
        var text = await cli.RunAsync("sweep", "--file", file, "--vary", "seed=4,5", "--detach");

        Assert.True(json.ExitCode == 0, json.ToString());
        var sweep = JsonDocument.Parse(json.Out).RootElement;
        var id = sweep.GetProperty("id").GetString()!;
        Assert.Equal("from the file", sweep.GetProperty("name").GetString());
        Assert.Equal(1, sweep.GetProperty("maxConcurrent").GetInt32());
        Assert.Equal(3, sweep.GetProperty("trials").GetProperty("total").GetInt32());
        using var client = cli.Client();
        foreach (var trial in (await client.GetSweepTrialsAsync(id)).Items)
            Assert.Equal(7, (await client.GetJobAsync(trial.JobId)).Epochs);
        Assert.True(text.ExitCode == 0, text.ToString());
        var other = (await client.ListSweepsAsync()).Items[0];
        Assert.Equal($"sweep {other.Id}: 2 trials queued; follow it with backprop sweep watch {other.Id}", text.Out.Trim());
        await client.EndAsync(id);
        await client.EndAsync(other.Id);
    }

    [Fact]
    public async Task TheReadmesSampleSweepRunsWithTheSampleFiles()
    {
        await using var cli = CliHarness.Start();

        var result = await cli.RunAsync("sweep", "--file", Samples.Path("xor/sweep.json"), "--network", Samples.Path("xor/net.json"),
            "--data", Samples.Path("xor/data.csv"), "--target", "y", "--epochs", "20", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var sweep = JsonDocument.Parse(result.Out).RootElement;
        Assert.Equal("xor: rate × seed", sweep.GetProperty("name").GetString());
        Assert.Equal(2, sweep.GetProperty("maxConcurrent").GetInt32());
        Assert.Equal(9, sweep.GetProperty("trials").GetProperty("succeeded").GetInt32());
    }

    [Theory]
    [InlineData("--vary", "learningRate", "--vary 'learningRate': expected FIELD=VALUE,VALUE,...")]
    [InlineData("--vary", "=1,2", "--vary '=1,2': expected FIELD=VALUE,VALUE,...")]
    [InlineData("--vary", "seed=3,,4", "--vary 'seed=3,,4': expected")]
    [InlineData("--vary", "seed=3", "--vary seed: given more than once")]
    public async Task AMalformedVaryIsAUsageErrorBeforeAnythingIsUploaded(string option, string value, string message)
    {
        await using var cli = CliHarness.Start();

        var result = await cli.RunAsync(XorFiles.SweepArgs(cli, 10, option, value));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(message, result.Error);
        using var client = cli.Client();
        Assert.Empty((await client.ListNetworksAsync()).Items);
    }

    [Fact]
    public async Task ASweepWithoutABaseOrWithABadFileIsAUsageError()
    {
        await using var cli = CliHarness.Start();

        var noBase = await cli.RunAsync("sweep", "--vary", "seed=1,2");
        var array = await cli.RunAsync("sweep", "--file", cli.File("sweep.json", "[1, 2]"));
        var broken = await cli.RunAsync("sweep", "--file", cli.File("broken.json", "{ \"grid\": { \"seed\": [1,, 2] } }"));

        Assert.Equal(2, noBase.ExitCode);
        Assert.Contains("A sweep needs a base job", noBase.Error);
        Assert.Equal(2, array.ExitCode);
        Assert.Contains("sweep.json:1:1: a sweep is a JSON object", array.Error);
        Assert.Contains("not an array", array.Error);
        Assert.Equal(2, broken.ExitCode);
        Assert.Contains("broken.json:1:", broken.Error);
    }

    [Fact]
    public async Task AGridTheServiceRejectsNamesThePathOfTheBadValue()
    {
        await using var cli = CliHarness.Start();

        var result = await cli.RunAsync(XorFiles.SweepArgs(cli, 10, "--vary", "batchSize=2,-1"));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("(400)", result.Error);
        Assert.Contains("  grid.batchSize[1]: ", result.Error);
        using var client = cli.Client();
        Assert.Empty((await client.ListSweepsAsync()).Items);
    }

    [Fact]
    public async Task CtrlCWithoutATerminalDetachesAndTheSweepKeepsRunning()
    {
        await using var cli = CliHarness.Start();
        using var client = cli.Client();

        var run = cli.RunAsync(XorFiles.SweepArgs(cli, 5_000_000, "--max-concurrent", "1"));
        var sweep = await client.SubmittedAsync();
        await client.RunningAsync(sweep.Id);
        cli.Interrupts.Raise();
        var result = await run;

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"detached: sweep {sweep.Id} keeps running; follow it with backprop sweep watch {sweep.Id}", result.Out);
        Assert.False((await client.GetSweepAsync(sweep.Id)).IsFinished);
        await client.CancelSweepAsync(sweep.Id);
    }

    [Fact]
    public async Task CtrlCOnATerminalAsksAndCancelCancelsTheSweep()
    {
        await using var cli = CliHarness.Start();
        var terminal = new TestConsole().Interactive();
        terminal.Input.PushKey(ConsoleKey.DownArrow); // "detach" is first, "cancel" second
        terminal.Input.PushKey(ConsoleKey.Enter);
        using var client = cli.Client();

        var run = cli.RunAsync(terminal, XorFiles.SweepArgs(cli, 5_000_000, "--max-concurrent", "1"));
        var sweep = await client.SubmittedAsync();
        await client.RunningAsync(sweep.Id);
        cli.Interrupts.Raise();
        var result = await run;

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("detach (its trials keep training) or cancel it?", result.Out.ReplaceLineEndings(" "));
        Assert.Contains($"cancelled sweep {sweep.Id}", result.Out);
        Assert.Equal(SweepStatus.Cancelled, (await client.GetSweepAsync(sweep.Id)).Status);
    }
}
