using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using BackpropService.Api.Jobs;
using BackpropService.Api.Training;
using BackpropService.Api.Training.Protocols;
using BackpropService.Persistence.Entities;
using MessagePack;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests.Training;

/// <summary>
/// The hub's MessagePack protocol: the same messages as JSON (same names, same values), read here by a client that
/// knows nothing of our formatters (MessagePack's own untyped maps), so the wire shape itself is what is checked.
/// </summary>
public sealed class MessagePackProtocolTests
{
    [Fact]
    public async Task AMessagePackSubscriberGetsEveryEpochOnceInOrderUnderTheJsonNames()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        const int epochs = 30_000;
        var jobId = await client.CreateJobAsync(networkId, datasetId, epochs);

        await using var connection = await HubClient.ConnectAsync(app, b => b.AddMessagePackProtocol());
        var points = new ConcurrentQueue<EpochCost>();
        var pointKeys = new ConcurrentDictionary<string, bool>();
        var messageKeys = new ConcurrentDictionary<string, bool>();
        var finished = new TaskCompletionSource<Dictionary<object, object>>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On<object>("epochs", message =>
        {
            var map = (Dictionary<object, object>)message;
            foreach (var key in map.Keys) messageKeys[(string)key] = true;
            Assert.Equal(jobId, map["jobId"]);
            foreach (Dictionary<object, object> point in (object[])map["points"])
            {
                foreach (var key in point.Keys) pointKeys[(string)key] = true;
                points.Enqueue(EpochCost.Of(Convert.ToInt32(point["epoch"]), point["cost"] is null ? null : Convert.ToDouble(point["cost"])));
            }
        });
        connection.On<object>("status", job =>
        {
            var map = (Dictionary<object, object>)job;
            if (map["status"] is "succeeded" or "failed" or "cancelled") finished.TrySetResult(map);
        });
        var subscribed = (Dictionary<object, object>)(await connection.InvokeAsync<object>("Subscribe", jobId));
        var k = Convert.ToInt32(subscribed["epochsCompleted"]);
        if (subscribed["status"] is "succeeded") finished.TrySetResult(subscribed);
        var final = await finished.Task.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal("succeeded", final["status"]);
        var history = await client.HistoryAsync(jobId);
        var received = points.ToList();
        Assert.Equal(Enumerable.Range(k + 1, epochs - k), received.Select(p => p.Epoch));
        Assert.Equal(history.Skip(k), received);
        if (received.Count > 0)
        {
            Assert.Equal(["jobId", "points"], messageKeys.Keys.Order());
            Assert.Equal(["accuracy", "cost", "epoch", "validationAccuracy", "validationCost"], pointKeys.Keys.Order());
        }

        // The status message is the JSON job object, name for name and value for value.
        var json = (await client.GetJsonAsync($"/api/jobs/{jobId}")).AsObject();
        Assert.Equal(json.Select(p => p.Key).Order(), final.Keys.Cast<string>().Order());
        foreach (var (name, value) in json)
            Assert.Equal(value?.ToJsonString() ?? "null", JsonSerializer.Serialize(final[name]));
    }

    [Fact]
    public void TheEpochsFormatterReadsBackWhatItWrites()
    {
        var message = new EpochsMessage("job-1", [new HistoryPoint(1, 0.5, null), new HistoryPoint(2, null, 0.25)]);

        var bytes = MessagePackSerializer.Serialize(message, HubMessagePackResolver.Options);
        var read = MessagePackSerializer.Deserialize<EpochsMessage>(bytes, HubMessagePackResolver.Options);

        Assert.Equal(message.JobId, read.JobId);
        Assert.Equal(message.Points, read.Points);
    }

    [Fact]
    public void GradientNormsTravelAsAMapByParameterNameAsInJson()
    {
        var norms = new Dictionary<string, double?> { ["layers.0.weights"] = 0.012, ["layers.0.bias"] = null };
        var message = new EpochsMessage("job-1", [new HistoryPoint(1, 0.5, null, 0.75, null, norms)]);

        var bytes = MessagePackSerializer.Serialize(message, HubMessagePackResolver.Options);
        var untyped = (Dictionary<object, object>)MessagePackSerializer.Deserialize<object>(bytes, MessagePackSerializerOptions.Standard);
        var point = (Dictionary<object, object>)((object[])untyped["points"])[0];
        var read = MessagePackSerializer.Deserialize<EpochsMessage>(bytes, HubMessagePackResolver.Options).Points[0];

        var wire = (Dictionary<object, object>)point["gradientNorms"];
        Assert.Equal(2, wire.Count);
        Assert.Equal(0.012, Convert.ToDouble(wire["layers.0.weights"]));
        Assert.Null(wire["layers.0.bias"]);
        Assert.Equal(norms, read.GradientNorms);
        Assert.Equal(JsonSerializer.Serialize(message.Points[0], HubPayloadJson.Options), JsonSerializer.Serialize(read, HubPayloadJson.Options));
    }

    [Fact]
    public void OtherPayloadsTravelAsTheirJsonForm()
    {
        var job = new JobResponse("id-1", JobStatus.Running, "n", "d", "xor run", null, ["baseline"], 10, 3, 0.5, null,
            new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), null, null, null, 0.1, "sgd", null, 42, 1, 0.1, false, null, null, 2, null, 0.75, null, false);

        var bytes = MessagePackSerializer.Serialize(job, HubMessagePackResolver.Options);

        var untyped = MessagePackSerializer.Deserialize<object>(bytes, MessagePackSerializerOptions.Standard);
        var expected = JsonNode.Parse(JsonSerializer.Serialize(job, HubPayloadJson.Options))!.AsObject();
        var map = (Dictionary<object, object>)untyped;
        Assert.Equal(expected.Select(p => p.Key).Order(), map.Keys.Cast<string>().Order());
        Assert.Equal("running", map["status"]);
        var read = MessagePackSerializer.Deserialize<JobResponse>(bytes, HubMessagePackResolver.Options);
        // The tags list is compared by its items: a record compares a list member by reference.
        Assert.Equal(job.Tags, read.Tags);
        Assert.Equal(job, read with { Tags = job.Tags });
    }

    [Fact]
    public void AHostilelyDeepPayloadIsRefusedNotRecursedInto()
    {
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        var msgpack = new MessagePackWriter(writer);
        for (var i = 0; i < 10_000; i++) msgpack.WriteArrayHeader(1);
        msgpack.WriteNil();
        msgpack.Flush();

        Assert.Throws<MessagePackSerializationException>(() =>
            MessagePackSerializer.Deserialize<JobResponse>(writer.WrittenMemory, HubMessagePackResolver.Options));
    }
}
