using BackpropService.Api.Testing;

namespace BackpropService.Api.Tests.Testing;

/// <summary>The test seam that holds a job at an epoch: where it stops, what it leaves running, and that it changes nothing.</summary>
public sealed class EpochHoldTests
{
    private const int Epochs = 300, HeldAt = 120;

    [Fact]
    public async Task AHeldJobStopsBeforeTheEpochWithItsHistoryStoredThenFinishesAsAnUnheldRunWhenReleased()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var reference = await client.CreateJobAsync(networkId, datasetId, Epochs);
        await client.WaitForStatusAsync(reference, "succeeded");

        using var hold = EpochHold.Arm(app.InstanceName, HeldAt);
        var jobId = await client.CreateJobAsync(networkId, datasetId, Epochs);
        Assert.Equal(jobId, await hold.Reached.WaitAsync(TimeSpan.FromSeconds(60)));
        // Held at the start of epoch HeldAt: the epochs before it are stored and the job is still running.
        var held = await client.WaitForJobAsync(jobId, j => JobClient.EpochsCompleted(j) == HeldAt - 1);
        Assert.Equal("running", JobClient.Status(held));
        Assert.Equal(Enumerable.Range(1, HeldAt - 1), (await client.HistoryAsync(jobId)).Select(p => p.Epoch));

        hold.Release();
        var job = await client.WaitForStatusAsync(jobId, "succeeded");
        Assert.Equal("succeeded", JobClient.Status(job));
        Assert.Equal(await client.HistoryAsync(reference), await client.HistoryAsync(jobId));
        Assert.Equal(await client.WeightsAsync(reference), await client.WeightsAsync(jobId));
    }

    [Fact]
    public async Task AHeldJobIsCancelledAtTheHeldEpochWithoutARelease()
    {
        await using var app = new BackpropApplication();
        using var hold = EpochHold.Arm(app.InstanceName, HeldAt);
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var jobId = await client.CreateJobAsync(networkId, datasetId, Epochs);
        Assert.Equal(jobId, await hold.Reached.WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal(System.Net.HttpStatusCode.Accepted, await client.CancelAsync(jobId));
        var job = await client.WaitForStatusAsync(jobId, "cancelled");
        Assert.Equal("cancelled", JobClient.Status(job));
        Assert.Equal(HeldAt, JobClient.EpochsCompleted(job));
    }

    [Fact]
    public async Task AHoldArmedForAnotherInstanceHoldsNothingHere()
    {
        await using var app = new BackpropApplication();
        using var elsewhere = EpochHold.Arm(app.InstanceName + "-elsewhere", HeldAt);
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var jobId = await client.CreateJobAsync(networkId, datasetId, Epochs);

        Assert.Equal("succeeded", JobClient.Status(await client.WaitForStatusAsync(jobId, "succeeded")));
        Assert.False(elsewhere.Reached.IsCompleted);
    }

    [Fact]
    public void ArmingAtEpochZeroOrBelowIsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => EpochHold.Arm("any", 0));
}
