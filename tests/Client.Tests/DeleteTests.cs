using BackpropService.Api.Testing;
using BackpropService.Client.Models;
using BackpropService.Client.Tests.Harness;

namespace BackpropService.Client.Tests;

/// <summary>DeleteJobAsync, DeleteNetworkAsync, DeleteDatasetAsync: 204 once nothing uses them, 409 while a job runs, 404 afterwards.</summary>
public sealed class DeleteTests
{
    [Fact]
    public async Task WhileAJobRunsItsJobNetworkAndDatasetAreConflictsAndOnceItEndedTheyGoAndAreNotFound()
    {
        await using var service = TestService.Start();
        using var hold = EpochHold.Arm(service.App.InstanceName, 1);
        using var client = service.Client();
        var network = await client.CreateNetworkAsync(Xor.Network);
        var dataset = await client.CreateDatasetAsync(Xor.Dataset);
        var job = await client.CreateJobAsync(new JobRequest { NetworkId = network.Id, DatasetId = dataset.Id, Epochs = 1000, LearningRate = 0.5 });
        Assert.Equal(job.Id, await hold.Reached.WaitAsync(TimeSpan.FromSeconds(60)));

        var jobInUse = await Assert.ThrowsAsync<BackpropApiException>(() => client.DeleteJobAsync(job.Id));
        var networkInUse = await Assert.ThrowsAsync<BackpropApiException>(() => client.DeleteNetworkAsync(network.Id));
        var datasetInUse = await Assert.ThrowsAsync<BackpropApiException>(() => client.DeleteDatasetAsync(dataset.Id));
        Assert.Equal([409, 409, 409], new[] { jobInUse.Status, networkInUse.Status, datasetInUse.Status });
        Assert.Contains("cancel", jobInUse.Detail);
        Assert.Contains(job.Id, networkInUse.Detail);

        await client.CancelJobAsync(job.Id);
        hold.Release();
        Assert.Equal(JobStatus.Cancelled, (await client.FinishAsync(job.Id)).Status);
        await client.DeleteJobAsync(job.Id);
        await client.DeleteNetworkAsync(network.Id);
        await client.DeleteDatasetAsync(dataset.Id);

        var gone = new[]
        {
            await Assert.ThrowsAsync<BackpropApiException>(() => client.GetJobAsync(job.Id)),
            await Assert.ThrowsAsync<BackpropApiException>(() => client.DeleteJobAsync(job.Id)),
            await Assert.ThrowsAsync<BackpropApiException>(() => client.GetNetworkAsync(network.Id)),
            await Assert.ThrowsAsync<BackpropApiException>(() => client.DeleteNetworkAsync(network.Id)),
            await Assert.ThrowsAsync<BackpropApiException>(() => client.DeleteDatasetAsync(dataset.Id)),
        };
        Assert.All(gone, problem => Assert.Equal(404, problem.Status));
    }
}
