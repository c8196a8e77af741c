using BackpropService.Client.Tests.Harness;

namespace BackpropService.Client.Tests.Watching;

/// <summary>WatchAsync against the service in-process: every epoch once, in order, however late the watch starts.</summary>
public sealed class WatchTests
{
    [Fact]
    public async Task WatchingFromSubmissionYieldsEveryEpochOnceInOrderWithTheHistorysCosts()
    {
        await using var service = TestService.Start();
        using var client = service.Client();
        var job = await client.CreateJobAsync(Xor.Job(epochs: 20_000));

        var watched = await client.WatchAsync(job.Id).ToListAsync();

        Assert.Equal(Enumerable.Range(1, 20_000), watched.Select(p => p.Epoch));
        Assert.Equal(await client.GetHistoryAsync(job.Id).ToListAsync(), watched);
    }

    [Fact]
    public async Task WatchingMidJobStartsFromEpochOneThroughHistory()
    {
        await using var service = TestService.Start();
        using var client = service.Client();
        var job = await client.CreateJobAsync(Xor.Job(epochs: 50_000));
        // Start the second watch once the job is visibly under way, so its history part is not empty.
        await foreach (var point in client.WatchAsync(job.Id))
            if (point.Epoch >= 100) break;

        var watched = await client.WatchAsync(job.Id).ToListAsync();

        Assert.Equal(Enumerable.Range(1, 50_000), watched.Select(p => p.Epoch));
    }

    [Fact]
    public async Task WatchingAFinishedJobYieldsItsWholeHistoryAndEnds()
    {
        await using var service = TestService.Start();
        using var client = service.Client();
        var job = await client.CreateJobAsync(Xor.Job(epochs: 500));
        await client.FinishAsync(job.Id);

        var watched = await client.WatchAsync(job.Id).ToListAsync();

        Assert.Equal(Enumerable.Range(1, 500), watched.Select(p => p.Epoch));
    }

    [Fact]
    public async Task WatchingAnUnknownJobIsANotFoundProblem()
    {
        await using var service = TestService.Start();
        using var client = service.Client();

        var error = await Assert.ThrowsAsync<BackpropApiException>(() => client.WatchAsync("missing").ToListAsync().AsTask());

        Assert.Equal(404, error.Status);
    }
}
