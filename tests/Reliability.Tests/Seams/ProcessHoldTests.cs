using System.Net;
using BackpropService.Reliability.Tests.Harness;

namespace BackpropService.Reliability.Tests.Seams;

/// <summary>The epoch hold of a service process (environment Testing__HoldAtEpoch / Testing__HoldDirectory, TestKit's ProcessHold).</summary>
public sealed class ProcessHoldTests
{
    [Fact]
    public async Task AServiceProcessHoldsAJobAtEachGivenEpochUntilThatEpochIsReleased()
    {
        using var db = new TempDatabase();
        using var hold = new ProcessHold(100, 200);
        await using var service = await ServiceProcess.StartAsync(db.Path, db.InstanceName, hold.Settings);
        var (networkId, datasetId) = await service.Client.CreateNetworkAndDatasetAsync();
        var jobId = await service.Client.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, 300), HttpStatusCode.Accepted);

        foreach (var epoch in new[] { 100, 200 })
        {
            Assert.Equal(jobId, await hold.ReachedAsync(epoch, TimeSpan.FromSeconds(60), () => service.RecentOutput));
            var held = await service.Client.WaitForJobAsync(jobId, j => JobClient.EpochsCompleted(j) == epoch - 1);
            Assert.Equal("running", JobClient.Status(held));
            hold.Release(epoch);
        }
        Assert.Equal("succeeded", JobClient.Status(await service.Client.WaitForFinishAsync(jobId)));
        Assert.Equal(Enumerable.Range(1, 300), (await service.Client.HistoryAsync(jobId)).Select(p => p.Epoch));

        // Released epochs hold no later job.
        var next = await service.Client.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, 300, seed: 5), HttpStatusCode.Accepted);
        Assert.Equal("succeeded", JobClient.Status(await service.Client.WaitForFinishAsync(next)));
    }
}
