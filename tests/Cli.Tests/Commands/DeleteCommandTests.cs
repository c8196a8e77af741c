using System.Text.Json;
using BackpropService.Cli.Tests.Harness;
using BackpropService.Client.Models;

namespace BackpropService.Cli.Tests.Commands;

/// <summary><c>backprop delete job|network|dataset ID</c>: exit 1 on a 409 (in use), 0 once deleted, 2 on a 404.</summary>
public sealed class DeleteCommandTests
{
    [Fact]
    public async Task InUseIsExitOneThenEachIsDeletedAndASecondDeleteIsExitTwo()
    {
        await using var cli = CliHarness.Start();
        await using var held = await HeldJob.StartAsync(cli);
        var (job, network, dataset) = (held.Job.Id, held.Job.NetworkId, held.Job.DatasetId);

        var jobInUse = await cli.RunAsync("delete", "job", job);
        var networkInUse = await cli.RunAsync("delete", "network", network);
        Assert.True(jobInUse.ExitCode == 1, jobInUse.ToString());
        Assert.Contains("(409)", jobInUse.Error);
        Assert.Contains("cancel it first", jobInUse.Error);
        Assert.True(networkInUse.ExitCode == 1, networkInUse.ToString());
        Assert.Contains(job, networkInUse.Error);

        Assert.Equal(JobStatus.Cancelled, (await held.CancelAsync()).Status);
        var deletedJob = await cli.RunAsync("delete", "job", job);
        var deletedNetwork = await cli.RunAsync("delete", "network", network);
        var deletedDataset = await cli.RunAsync("delete", "dataset", dataset, "--json");
        var again = await cli.RunAsync("delete", "job", job);

        Assert.True(deletedJob.ExitCode == 0, deletedJob.ToString());
        Assert.Equal($"job {job} deleted", deletedJob.Out.Trim());
        Assert.True(deletedNetwork.ExitCode == 0, deletedNetwork.ToString());
        Assert.True(deletedDataset.ExitCode == 0, deletedDataset.ToString());
        using var json = JsonDocument.Parse(deletedDataset.Out);
        Assert.Equal(dataset, json.RootElement.GetProperty("id").GetString());
        Assert.True(again.ExitCode == 2, again.ToString());
        Assert.Contains("(404)", again.Error);
        using var client = cli.Client();
        Assert.Empty((await client.ListJobsAsync()).Items);
        Assert.Empty((await client.ListNetworksAsync()).Items);
        Assert.Empty((await client.ListDatasetsAsync()).Items);
    }

    [Fact]
    public async Task AnUnknownKindIsAUsageError()
    {
        await using var cli = CliHarness.Start();

        var result = await cli.RunAsync("delete", "sweep", "x");

        Assert.True(result.ExitCode == 2, result.ToString());
    }
}
