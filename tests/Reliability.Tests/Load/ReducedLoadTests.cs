using BackpropService.LoadTest;
using BackpropService.Reliability.Tests.Harness;
using Xunit.Abstractions;

namespace BackpropService.Reliability.Tests.Load;

/// <summary>bench/load's scenarios, scaled down to run in CI against the service as a child process.</summary>
public sealed class ReducedLoadTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TheApiAnswersWhileJobsTrainBurstsOfJobsAllFinishAndEveryWatcherGetsEveryEpoch()
    {
        using var db = new TempDatabase();
        await using var service = await ServiceProcess.StartAsync(db.Path, db.InstanceName, new Dictionary<string, string>
        {
            ["RateLimits__JobSubmissionBurst"] = "1000",
            ["Training__CheckpointInterval"] = "00:00:05",
        });
        using var client = new LoadClient(service.BaseAddress);

        var latency = await LatencyScenario.RunAsync(client, clients: 8, TimeSpan.FromSeconds(4), trainingJobs: 2);
        output.WriteLine(latency.ToString());
        Assert.Equal(0, latency.Errors);
        Assert.True(latency.Requests > 100, latency.ToString());
        Assert.True(latency.P99Ms < 2_000, latency.ToString());

        var burst = await BurstScenario.RunAsync(client, count: 50, epochs: 100, TimeSpan.FromMinutes(2));
        output.WriteLine(burst.ToString());
        Assert.Equal(50, burst.Succeeded);

        var watchers = await WatchersScenario.RunAsync(client, watchers: 20, epochs: 3_000, workers: 2, TimeSpan.FromMinutes(2));
        output.WriteLine(watchers.ToString());
        Assert.Equal(20, watchers.Complete);
        Assert.Equal(20L * 3_000, watchers.EpochsDelivered);
    }
}
