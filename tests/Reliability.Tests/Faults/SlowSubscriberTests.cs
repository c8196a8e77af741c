using System.Net;
using BackpropService.Reliability.Tests.Harness;

namespace BackpropService.Reliability.Tests.Faults;

/// <summary>A subscriber that stops reading is dropped; the job, its history and the other subscribers carry on.</summary>
public sealed class SlowSubscriberTests
{
    [Fact]
    public async Task AStuckSubscriberIsDisconnectedAndNeitherTrainingNorOtherSubscribersWait()
    {
        using var db = new TempDatabase();
        await using var service = await ServiceProcess.StartAsync(db.Path, db.InstanceName, new Dictionary<string, string> { ["Training__StreamSendTimeout"] = "00:00:01" });
        var network = await service.Client.PostAsync("/api/networks", """
            { "name": "xor", "inputs": 2, "layers": [ { "units": 2, "activation": "sigmoid" }, { "units": 1, "activation": "sigmoid" } ], "loss": "binary_cross_entropy" }
            """, HttpStatusCode.Created);
        var dataset = await service.Client.PostAsync("/api/datasets", """{ "features": [[0,0],[0,1],[1,0],[1,1]], "targets": [[0],[1],[1],[0]] }""", HttpStatusCode.Created);
        const int epochs = 400_000;
        var jobId = await service.Client.PostAsync("/api/jobs", $$"""{ "networkId": "{{network}}", "datasetId": "{{dataset}}", "epochs": {{epochs}}, "learningRate": 0.5, "seed": 1 }""", HttpStatusCode.Accepted);

        using var stuck = await StuckHubClient.SubscribeAsync(service.BaseAddress, jobId);
        await using var watcher = await StreamWatcher.ConnectAsync(service.BaseAddress);
        var stream = await watcher.SubscribeAsync(jobId);

        var finished = await service.Client.WaitForFinishAsync(jobId, TimeSpan.FromSeconds(120));
        Assert.Equal("succeeded", JobClient.Status(finished));
        // NOTE: no deadline tied to the end: the reader is sent the epochs it has not had yet, then the end, and how far
        // its stream trails the training depends on the two speeds (a fast trainer ends with most of the 400,000 epochs
        // still to send; a slow CI machine's client takes seconds to read them). The bound only guards against a hang.
        Assert.Equal("succeeded", await stream.Finished.WaitAsync(TimeSpan.FromSeconds(120)));
        // The reading subscriber got every epoch after its subscription, once and in order.
        Assert.Equal(Enumerable.Range(stream.SubscribedAt + 1, epochs - stream.SubscribedAt), stream.Points.Select(p => p.Epoch));
        Assert.Equal(Enumerable.Range(1, epochs), (await service.Client.HistoryAsync(jobId)).Select(p => p.Epoch));
        // The stuck one was dropped, and the service said so.
        Assert.True(await stuck.WasDisconnectedAsync(TimeSpan.FromSeconds(15)), "the stuck subscriber was never disconnected");
        Assert.Contains("its connection was dropped", service.RecentOutput);
    }
}
