using System.Text.Json;
using BackpropService.Cli.Tests.Harness;
using BackpropService.Client.Models;

namespace BackpropService.Cli.Tests.Commands;

/// <summary>jobs, watch, history, predict and cancel on a trained XOR job, and their error paths.</summary>
public sealed class JobCommandsTests
{
    private static async Task<string> TrainedJobAsync(CliHarness cli, int epochs = 2000)
    {
        var trained = await cli.RunAsync(XorFiles.TrainArgs(cli, epochs, "--json"));
        Assert.True(trained.ExitCode == 0, trained.ToString());
        using var json = JsonDocument.Parse(trained.Out);
        return json.RootElement.GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task JobsIsATableFilteredByStatusAndJsonForScripts()
    {
        await using var cli = CliHarness.Start();
        var id = await TrainedJobAsync(cli);

        var table = await cli.RunAsync("jobs");
        var succeeded = await cli.RunAsync("jobs", "--status", "succeeded", "--json");
        var running = await cli.RunAsync("jobs", "--status", "running");
        var wrong = await cli.RunAsync("jobs", "--status", "sleeping");

        Assert.Equal(0, table.ExitCode);
        Assert.Contains(id, table.Out);
        Assert.Contains("succeeded", table.Out);
        Assert.Contains("2000/2000", table.Out);
        using var json = JsonDocument.Parse(succeeded.Out);
        Assert.Equal(id, json.RootElement[0].GetProperty("id").GetString());
        Assert.Equal("no jobs", running.Out.Trim());
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("sleeping", wrong.Error);
    }

    [Fact]
    public async Task HistoryAsCsvHasAHeaderAndEveryEpochAndTheTableASample()
    {
        await using var cli = CliHarness.Start();
        var id = await TrainedJobAsync(cli);

        var csv = await cli.RunAsync("history", id, "--csv");
        var table = await cli.RunAsync("history", id);

        Assert.Equal(0, csv.ExitCode);
        var lines = csv.Out.TrimEnd().Split('\n');
        Assert.Equal("epoch,cost,validationCost", lines[0]);
        Assert.Equal(Enumerable.Range(1, 2000), lines.Skip(1).Select(l => int.Parse(l.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains("2000 epochs; --csv prints every one", table.Out);
    }

    [Fact]
    public async Task PredictPrintsAnOutputForEachInputRow()
    {
        await using var cli = CliHarness.Start();
        var id = await TrainedJobAsync(cli, epochs: 5000);

        var result = await cli.RunAsync("predict", id, "--input", "0,1", "--input", "1,1", "--json");
        var table = await cli.RunAsync("predict", id, "--input", "0,1");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        var outputs = json.RootElement.GetProperty("outputs");
        Assert.True(outputs[0][0].GetDouble() > 0.5, result.Out);
        Assert.True(outputs[1][0].GetDouble() < 0.5, result.Out);
        Assert.Contains("0, 1", table.Out);
    }

    [Fact]
    public async Task PredictRejectsANonNumberAndAWrongWidth()
    {
        await using var cli = CliHarness.Start();
        var id = await TrainedJobAsync(cli, epochs: 10);

        var notNumber = await cli.RunAsync("predict", id, "--input", "0,x");
        var width = await cli.RunAsync("predict", id, "--input", "0,1,2");

        Assert.Equal(2, notNumber.ExitCode);
        Assert.Equal("error: --input \"0,x\": value 2 ('x') is not a number.", notNumber.Error.Trim());
        Assert.True(width.ExitCode == 2, width.ToString());
        Assert.Contains("(400)", width.Error);
    }

    [Fact]
    public async Task WatchFollowsAJobToItsEndAndWithJsonPrintsOneLinePerEpoch()
    {
        await using var cli = CliHarness.Start();
        var id = await TrainedJobAsync(cli, epochs: 300);

        var watched = await cli.RunAsync("watch", id);
        var lines = await cli.RunAsync("watch", id, "--json");

        Assert.Equal(0, watched.ExitCode);
        Assert.Contains($"succeeded after 300 epochs", watched.Out);
        Assert.Equal(0, lines.ExitCode);
        var epochs = lines.Out.TrimEnd().Split('\n').Select(l => JsonDocument.Parse(l).RootElement.GetProperty("epoch").GetInt32());
        Assert.Equal(Enumerable.Range(1, 300), epochs);
    }

    [Fact]
    public async Task CancelStopsARunningJobAndCancellingAFinishedOneIsAConflict()
    {
        await using var cli = CliHarness.Start();
        using var client = cli.Client();
        var running = await client.CreateJobAsync(new JobRequest
        {
            Network = JsonSerializer.Deserialize<NetworkDefinition>(XorFiles.Network, Client.BackpropJson.Options),
            Dataset = new DatasetDefinition { Features = [[0, 0], [0, 1], [1, 0], [1, 1]], Targets = [[0], [1], [1], [0]] },
            Epochs = 10_000_000,
            LearningRate = 0.5,
        });
        var finished = await TrainedJobAsync(cli, epochs: 10);

        var cancel = await cli.RunAsync("cancel", running.Id);
        var again = await cli.RunAsync("cancel", finished);

        Assert.True(cancel.ExitCode == 0, cancel.ToString());
        Assert.Contains($"job {running.Id}: cancel requested", cancel.Out);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("(409)", again.Error);
    }

    [Fact]
    public async Task AnUnknownJobIsANotFoundProblemAndExitCodeTwo()
    {
        await using var cli = CliHarness.Start();

        var result = await cli.RunAsync("watch", "no-such-job");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("(404)", result.Error);
        Assert.Contains("no-such-job", result.Error);
    }
}
