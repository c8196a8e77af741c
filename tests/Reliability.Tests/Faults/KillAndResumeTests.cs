using System.Net;
using BackpropService.Reliability.Tests.Harness;
using Xunit.Abstractions;

namespace BackpropService.Reliability.Tests.Faults;

/// <summary>SIGKILL mid-job, restart on the same database: the job ends exactly where an uninterrupted run ends.</summary>
public sealed class KillAndResumeTests(ITestOutputHelper output)
{
    private const int Epochs = 6_000;

    [Fact]
    public async Task KilledMidJobResumesBitIdenticalWithWholeHistoryAndEverythingStreamedKept()
    {
        using var db = new TempDatabase();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string jobId, queuedId, networkId, datasetId;
        List<(int Epoch, long CostBits)> streamed;
        int killedAt;

        await using (var first = await ServiceProcess.StartAsync(db.Path, db.InstanceName, new Dictionary<string, string> { ["Training__MaxConcurrentJobs"] = "1" }))
        {
            (networkId, datasetId) = await first.Client.CreateNetworkAndDatasetAsync();
            jobId = await first.Client.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, Epochs), HttpStatusCode.Accepted);
            // With one worker slot this one waits behind the first: it must still be queued after the crash.
            queuedId = await first.Client.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, 50, seed: 7), HttpStatusCode.Accepted);
            await using var watcher = await StreamWatcher.SubscribeAsync(first.BaseAddress, jobId);

            // Kill once a checkpoint well into the run exists (optimizer moments and RNG far from their start) and
            // epochs past it were streamed.
            await WaitUntilAsync(() => db.CheckpointEpoch(jobId) is >= 100 && watcher.Epochs.Count > 0 || db.JobStatus(jobId) != "Running", TimeSpan.FromSeconds(90));
            output.WriteLine($"{clock.Elapsed}: killing at epoch {db.EpochsCompleted(jobId)}, checkpoint {db.CheckpointEpoch(jobId)}");
            await first.KillAsync();
            streamed = watcher.Epochs.ToList();
            killedAt = (int)db.EpochsCompleted(jobId);
            Assert.True(killedAt < Epochs, $"the job finished before the kill ({killedAt} epochs); make it longer");
        }

        Assert.Equal("Running", db.JobStatus(jobId));
        Assert.Equal("Queued", db.JobStatus(queuedId));
        Assert.Equal(0, db.JobAttempts(queuedId));
        Assert.NotEmpty(streamed);
        Assert.True(db.CheckpointEpoch(jobId) <= killedAt, "a checkpoint never runs ahead of the stored history");

        await using var second = await ServiceProcess.StartAsync(db.Path, db.InstanceName);
        // The reference: the same job, never interrupted, in the same build.
        var referenceId = await second.Client.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, Epochs), HttpStatusCode.Accepted);
        output.WriteLine($"{clock.Elapsed}: restarted");
        var resumed = await second.Client.WaitForFinishAsync(jobId, TimeSpan.FromSeconds(120));
        output.WriteLine($"{clock.Elapsed}: resumed job finished");
        var reference = await second.Client.WaitForFinishAsync(referenceId, TimeSpan.FromSeconds(120));
        output.WriteLine($"{clock.Elapsed}: reference finished");
        var queued = await second.Client.WaitForFinishAsync(queuedId, TimeSpan.FromSeconds(60));
        Assert.Equal("succeeded", Workload.Status(resumed));
        Assert.Equal("succeeded", Workload.Status(reference));
        Assert.Equal("succeeded", Workload.Status(queued));
        Assert.Equal(2, resumed["attempts"]!.GetValue<int>());

        Assert.Equal(await second.Client.WeightsAsync(referenceId), await second.Client.WeightsAsync(jobId));
        var history = await second.Client.HistoryAsync(jobId);
        Assert.Equal(Enumerable.Range(1, Epochs), history.Select(p => p.Epoch));
        Assert.Equal(await second.Client.HistoryAsync(referenceId), history);

        // Everything a client saw before the crash is in /history after it, with the same cost.
        var stored = history.ToDictionary(p => p.Epoch, p => p.CostBits);
        Assert.All(streamed, p => Assert.Equal(p.CostBits, stored[p.Epoch]));
    }

    internal static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in " + timeout);
            await Task.Delay(20);
        }
    }
}
