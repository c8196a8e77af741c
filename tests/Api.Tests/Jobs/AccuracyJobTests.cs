using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using BackpropService.Api.Testing;
using BackpropService.Api.Tests.Training;
using Microsoft.AspNetCore.SignalR.Client;

namespace BackpropService.Api.Tests.Jobs;

/// <summary>accuracy and validationAccuracy on history points, streamed points and the job object; null for mse.</summary>
public sealed class AccuracyJobTests
{
    [Fact]
    public async Task AnXorJobCarriesItsAccuracyInHistoryStreamAndJobAlike()
    {
        const int epochs = 50;
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        await using var connection = await HubClient.ConnectAsync(app);
        var streamed = new ConcurrentQueue<JsonElement>();
        var last = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On<JsonElement>("epochs", message =>
        {
            foreach (var point in message.GetProperty("points").EnumerateArray())
            {
                streamed.Enqueue(point.Clone());
                if (point.GetProperty("epoch").GetInt32() == epochs) last.TrySetResult();
            }
        });

        string jobId;
        using (var hold = EpochHold.Arm(app.InstanceName, 1))
        {
            jobId = await client.CreateJobAsync(networkId, datasetId, epochs);
            Assert.Equal(jobId, await hold.Reached.WaitAsync(TimeSpan.FromSeconds(60)));
            await connection.InvokeAsync<JsonElement>("Subscribe", jobId);
        }
        await last.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var job = await client.WaitForStatusAsync(jobId, "succeeded");

        var history = (await client.GetJsonAsync($"/api/jobs/{jobId}/history"))["points"]!.AsArray();
        Assert.Equal(epochs, history.Count);
        Assert.All(history, p => Assert.Contains(p!["accuracy"]!.GetValue<double>(), new[] { 0, 0.25, 0.5, 0.75, 1 }));
        Assert.All(history, p => Assert.Null(p!["validationAccuracy"]));
        Assert.Equal(history.Select(p => p!["accuracy"]!.GetValue<double>()), streamed.Select(p => p.GetProperty("accuracy").GetDouble()));
        Assert.All(streamed, p => Assert.Equal(JsonValueKind.Null, p.GetProperty("validationAccuracy").ValueKind));
        Assert.Equal(history[^1]!["accuracy"]!.GetValue<double>(), job["accuracy"]!.GetValue<double>());
        Assert.Null(job["validationAccuracy"]);
    }

    [Fact]
    public async Task AValidationSplitAddsValidationAccuracyAndAnMseJobHasNone()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, _) = await client.CreateXorAsync();
        var repeated = await client.CreateAsync("/api/datasets", ApiClient.RepeatedXorDataset(5));
        var mse = await client.CreateAsync("/api/networks", ApiClient.XorNetwork.Replace("binary_cross_entropy", "mse"));
        var split = await client.CreateJobAsync(networkId, repeated, 20, extra: """, "validationSplit": 0.2""");
        var plain = await client.CreateJobAsync(mse, repeated, 20, extra: """, "validationSplit": 0.2""");

        var job = await client.WaitForStatusAsync(split, "succeeded");
        var points = (await client.GetJsonAsync($"/api/jobs/{split}/history"))["points"]!.AsArray();
        // 4 of the 20 rows validate: multiples of a quarter.
        Assert.All(points, p => Assert.Contains(p!["validationAccuracy"]!.GetValue<double>(), new[] { 0, 0.25, 0.5, 0.75, 1 }));
        Assert.Equal(points[^1]!["validationAccuracy"]!.GetValue<double>(), job["validationAccuracy"]!.GetValue<double>());

        var other = await client.WaitForStatusAsync(plain, "succeeded");
        var msePoints = (await client.GetJsonAsync($"/api/jobs/{plain}/history"))["points"]!.AsArray();
        Assert.All(msePoints, p => Assert.True(p!.AsObject().ContainsKey("accuracy") && p["accuracy"] is null && p["validationAccuracy"] is null));
        Assert.NotNull(msePoints[0]!["validationCost"]);
        Assert.True(other.AsObject().ContainsKey("accuracy"));
        Assert.Null(other["accuracy"]);
    }
}
