using System.Text.Json;
using BackpropService.Api.Testing;
using BackpropService.Client.Models;

namespace BackpropService.Cli.Tests.Harness;

/// <summary>
/// An XOR job held at the start of its first epoch (running, no weights yet) with the EpochHold seam, so the commands
/// meet a job, network and dataset in use without racing a long job. Disposing cancels the job (unless the test did) and releases it.
/// </summary>
public sealed class HeldJob : IAsyncDisposable
{
    private readonly CliHarness _cli;
    private readonly EpochHold _hold;
    private bool _cancelled;

    private HeldJob(CliHarness cli, EpochHold hold, Job job) => (_cli, _hold, Job) = (cli, hold, job);

    public Job Job { get; }

    public static async Task<HeldJob> StartAsync(CliHarness cli)
    {
        var hold = EpochHold.Arm(cli.App.InstanceName, 1);
        using var client = cli.Client();
        using var network = JsonDocument.Parse(XorFiles.Network);
        var networkId = (await client.CreateNetworkAsync(network.RootElement)).Id;
        var datasetId = (await client.CreateDatasetFromCsvAsync(XorFiles.Csv, ["y"], "xor")).Id;
        var job = await client.CreateJobAsync(new JobRequest { NetworkId = networkId, DatasetId = datasetId, Epochs = 1000, LearningRate = 0.5 });
        Assert.Equal(job.Id, await hold.Reached.WaitAsync(TimeSpan.FromSeconds(60)));
        return new HeldJob(cli, hold, job);
    }

    /// <summary>Cancels the job, lets it go and waits until it is cancelled (finished, so deletable).</summary>
    public async Task<Job> CancelAsync()
    {
        using var client = _cli.Client();
        await client.CancelJobAsync(Job.Id);
        _cancelled = true;
        _hold.Release();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var _ in client.WatchAsync(Job.Id, timeout.Token)) { }
        return await client.GetJobAsync(Job.Id, timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        // A test that cancelled the job may have deleted it since.
        if (!_cancelled)
        {
            using var client = _cli.Client();
            await client.CancelJobAsync(Job.Id);
        }
        _hold.Dispose();
    }
}
