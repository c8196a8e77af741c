using System.Collections.Concurrent;
using System.Text.Json;
using BackpropService.Api.Testing;
using BackpropService.Api.Tests.Training;
using Microsoft.AspNetCore.SignalR.Client;

namespace BackpropService.Api.Tests.Jobs;

/// <summary>recordGradientNorms through the service: every history and streamed point carries the norms by parameter name; without it no point does.</summary>
public sealed class GradientNormsJobTests
{
    private static readonly string[] XorParameters = ["layers.0.weights", "layers.0.bias", "layers.1.weights", "layers.1.bias"];

    [Fact]
    public async Task AJobRecordingNormsCarriesThemInHistoryAndStreamAlike()
    {
        const int epochs = 40;
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
            jobId = await client.CreateJobAsync(networkId, datasetId, epochs, extra: """, "recordGradientNorms": true""");
            Assert.Equal(jobId, await hold.Reached.WaitAsync(TimeSpan.FromSeconds(60)));
            await connection.InvokeAsync<JsonElement>("Subscribe", jobId);
        }
        await last.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var job = await client.WaitForStatusAsync(jobId, "succeeded");
        Assert.True(job["recordGradientNorms"]!.GetValue<bool>());

        var history = (await client.GetJsonAsync($"/api/jobs/{jobId}/history"))["points"]!.AsArray();
        Assert.Equal(epochs, history.Count);
        var fromHistory = history.Select(p => XorParameters.Select(n => p!["gradientNorms"]![n]!.GetValue<double>()).ToArray()).ToList();
        Assert.All(history, p => Assert.Equal(XorParameters, p!["gradientNorms"]!.AsObject().Select(kv => kv.Key)));
        Assert.All(fromHistory, norms => Assert.All(norms, n => Assert.True(n > 0)));
        var fromStream = streamed.Select(p => XorParameters.Select(n => p.GetProperty("gradientNorms").GetProperty(n).GetDouble()).ToArray()).ToList();
        Assert.Equal(fromHistory, fromStream);
    }

    [Fact]
    public async Task WithoutTheFlagNoPointCarriesNorms()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var jobId = await client.CreateJobAsync(networkId, datasetId, 10);

        var job = await client.WaitForStatusAsync(jobId, "succeeded");
        Assert.False(job["recordGradientNorms"]!.GetValue<bool>());
        var history = (await client.GetJsonAsync($"/api/jobs/{jobId}/history"))["points"]!.AsArray();
        Assert.Equal(10, history.Count);
        Assert.All(history, p => Assert.False(p!.AsObject().ContainsKey("gradientNorms")));
    }
}
