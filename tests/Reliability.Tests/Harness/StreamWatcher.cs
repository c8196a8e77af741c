using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace BackpropService.Reliability.Tests.Harness;

/// <summary>A SignalR client on the training hub that records every epoch it is sent for one job.</summary>
public sealed class StreamWatcher : IAsyncDisposable
{
    private readonly HubConnection _connection;

    private StreamWatcher(HubConnection connection) => _connection = connection;

    public ConcurrentQueue<(int Epoch, long CostBits)> Epochs { get; } = new();
    public ConcurrentQueue<string> Statuses { get; } = new();
    public TaskCompletionSource<string> Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The job's epochsCompleted (k) when Subscribe returned: the stream starts at k+1.</summary>
    public int SubscribedAt { get; private set; }

    public static async Task<StreamWatcher> SubscribeAsync(Uri baseAddress, string jobId, string? apiKey = null)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, "/hubs/training"), options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
                if (apiKey is not null) options.AccessTokenProvider = () => Task.FromResult<string?>(apiKey);
            })
            .Build();
        var watcher = new StreamWatcher(connection);
        connection.On<JsonElement>("epochs", message =>
        {
            foreach (var p in message.GetProperty("points").EnumerateArray())
            {
                var cost = p.GetProperty("cost");
                watcher.Epochs.Enqueue((p.GetProperty("epoch").GetInt32(),
                    cost.ValueKind == JsonValueKind.Null ? long.MinValue : BitConverter.DoubleToInt64Bits(cost.GetDouble())));
            }
        });
        connection.On<JsonElement>("status", job =>
        {
            var status = job.GetProperty("status").GetString()!;
            watcher.Statuses.Enqueue(status);
            if (status is "succeeded" or "failed" or "cancelled") watcher.Finished.TrySetResult(status);
        });
        await connection.StartAsync();
        var subscribed = await connection.InvokeAsync<JsonElement>("Subscribe", jobId);
        watcher.SubscribedAt = subscribed.GetProperty("epochsCompleted").GetInt32();
        return watcher;
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}
