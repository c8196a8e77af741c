using System.Text.Json;
using BackpropService.Cli.Tests.Harness;
using BackpropService.Client.Models;

namespace BackpropService.Cli.Tests.Commands;

/// <summary>train's v1.1 options (--lr-schedule, --warmup-epochs, --clip-grad-norm, --early-stopping-*) and the jobs table's queue position.</summary>
public sealed class TrainingControlsCommandTests
{
    // No cost falls by more than 1 in an epoch: with a patience of 3 the job stops after epoch 4, its best epoch 1.
    private static readonly string[] StopsEarly = ["--early-stopping-patience", "3", "--early-stopping-min-delta", "1"];

    [Fact]
    public async Task EarlyStoppingShowsStoppedEarlyInTheJsonWithTheScheduledRate()
    {
        await using var cli = CliHarness.Start();

        var result = await cli.RunAsync(XorFiles.TrainArgs(cli, 1000,
            [.. StopsEarly, "--lr-schedule", "exponential:0.5", "--warmup-epochs", "2", "--clip-grad-norm", "1", "--json"]));

        Assert.True(result.ExitCode == 0, result.ToString());
        var job = JsonDocument.Parse(result.Out).RootElement;
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.True(job.GetProperty("stoppedEarly").GetBoolean());
        Assert.Equal(1, job.GetProperty("bestEpoch").GetInt32());
        Assert.Equal(4, job.GetProperty("epochsCompleted").GetInt32());
        // Warm-up over epochs 1..2, then lr·0.5^(k−1) with k = e − 2: epoch 4 is k = 2.
        Assert.Equal(0.25, job.GetProperty("currentLearningRate").GetDouble(), 1e-9);
    }

    [Fact]
    public async Task TheSummarySaysTheJobStoppedEarly()
    {
        await using var cli = CliHarness.Start();

        var result = await cli.RunAsync(XorFiles.TrainArgs(cli, 1000, StopsEarly));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("succeeded after 4 epochs", result.Out);
        Assert.Contains("stopped early: no improvement since epoch 1", result.Out);
    }

    [Theory]
    [InlineData("--lr-schedule", "linear:0.5", "--lr-schedule: 'linear:0.5' is not step:SIZE:GAMMA")]
    [InlineData("--lr-schedule", "step:ten:0.5", "--lr-schedule: 'step:ten:0.5' is not")]
    [InlineData("--warmup-epochs", "5", "--warmup-epochs needs --lr-schedule")]
    [InlineData("--early-stopping-min-delta", "0.1", "--early-stopping-min-delta needs --early-stopping-patience")]
    public async Task AMalformedOptionIsAUsageErrorBeforeAnythingIsUploaded(string option, string value, string message)
    {
        await using var cli = CliHarness.Start();

        var result = await cli.RunAsync(XorFiles.TrainArgs(cli, 10, option, value));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(message, result.Error);
        Assert.Empty((await cli.Client().ListNetworksAsync()).Items);
    }

    [Fact]
    public async Task AScheduleTheServiceRejectsShowsItsFieldError()
    {
        await using var cli = CliHarness.Start();

        var result = await cli.RunAsync(XorFiles.TrainArgs(cli, 10, "--lr-schedule", "step:0:0.5"));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("learningRateSchedule", result.Error);
    }

    [Fact]
    public async Task TheJobsTableShowsAQueuedJobsPlaceInTheQueue()
    {
        await using var cli = CliHarness.Start(new Dictionary<string, string?> { ["Training:MaxConcurrentJobs"] = "1" });
        await using var held = await HeldJob.StartAsync(cli);
        using var client = cli.Client();
        var queued = await client.CreateJobAsync(new JobRequest { NetworkId = held.Job.NetworkId, DatasetId = held.Job.DatasetId, Epochs = 10, LearningRate = 0.5 });

        var table = await cli.RunAsync("jobs");
        var json = await cli.RunAsync("jobs", "--status", "queued", "--json");

        Assert.True(table.ExitCode == 0, table.ToString());
        var row = Assert.Single(table.Out.Split('\n'), line => line.Contains(queued.Id));
        Assert.Contains("queued (#1)", row);
        Assert.Contains(table.Out.Split('\n'), line => line.Contains(held.Job.Id) && line.Contains("running") && !line.Contains('#'));
        Assert.Equal(1, JsonDocument.Parse(json.Out).RootElement[0].GetProperty("queuePosition").GetInt32());
    }
}
