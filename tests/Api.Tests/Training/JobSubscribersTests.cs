using BackpropService.Api.Training;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests.Training;

public sealed class JobSubscribersTests
{
    [Fact]
    public async Task AJobHasSubscribersFromSubscribeUntilUnsubscribe()
    {
        await using var app = new BackpropApplication();
        var subscribers = app.Services.GetRequiredService<JobSubscribers>();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var jobId = await client.CreateJobAsync(networkId, datasetId, 10);
        await client.WaitForFinishAsync(jobId);
        Assert.False(subscribers.AnyFor(jobId));

        await using var connection = await HubClient.ConnectAsync(app);
        await connection.InvokeAsync<System.Text.Json.JsonElement>("Subscribe", jobId);
        Assert.True(subscribers.AnyFor(jobId));
        Assert.False(subscribers.AnyFor("another-job"));
        await connection.InvokeAsync("Unsubscribe", jobId);
        Assert.False(subscribers.AnyFor(jobId));
    }

    [Fact]
    public void EachConnectionCountsOnceAndAClosedConnectionLeavesEveryGroup()
    {
        var subscribers = new JobSubscribers();
        subscribers.Add("c1", TrainingHub.Group("j1"), "j1");
        subscribers.Add("c1", TrainingHub.Group("j1"), "j1"); // a second Subscribe of the same connection
        subscribers.Add("c2", TrainingHub.Group("j1"), "j1");
        subscribers.Add("c2", TrainingHub.Group("j2"), "j2");

        subscribers.Remove("c1", TrainingHub.Group("j1"), "j1");
        Assert.True(subscribers.AnyFor("j1")); // c2 still listens
        subscribers.RemoveConnection("c2");
        Assert.False(subscribers.AnyFor("j1"));
        Assert.False(subscribers.AnyFor("j2"));
        subscribers.Remove("c2", TrainingHub.Group("j2"), "j2"); // after the close: nothing left to remove
        Assert.False(subscribers.AnyFor("j2"));
    }

    [Fact]
    public void ASweepSubscriberListensToEveryJobUntilItLeaves()
    {
        var subscribers = new JobSubscribers();
        subscribers.Add("c1", TrainingHub.SweepGroup("s1"), jobId: null);
        Assert.True(subscribers.AnyFor("any-job"));
        subscribers.Remove("c1", TrainingHub.SweepGroup("s1"), jobId: null);
        Assert.False(subscribers.AnyFor("any-job"));
        subscribers.Add("c1", TrainingHub.SweepGroup("s1"), jobId: null);
        subscribers.RemoveConnection("c1");
        Assert.False(subscribers.AnyFor("any-job"));
    }
}
