using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace BackpropService.TestKit;

/// <summary>A SignalR client of <c>/hubs/training</c> (JSON protocol) that records every <c>epochs</c> and <c>status</c> message, per job.</summary>
public sealed class StreamWatcher : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, JobStream> _streams = new();

    private StreamWatcher(HubConnection connection)
    {
        Connection = connection;
        connection.On<JsonElement>("epochs", message =>
        {
            var stream = Stream(message.GetProperty("jobId").GetString()!);
            foreach (var p in message.GetProperty("points").EnumerateArray())
            {
                var cost = p.GetProperty("cost");
                stream.AddPoint(EpochCost.Of(p.GetProperty("epoch").GetInt32(), cost.ValueKind == JsonValueKind.Number ? cost.GetDouble() : null));
            }
        });
        connection.On<JsonElement>("status", job => Stream(job.GetProperty("id").GetString()!).AddStatus(job.GetProperty("status").GetString()!));
    }

    public HubConnection Connection { get; }

    /// <summary>Connects over WebSockets to the service at <paramref name="baseAddress"/> (with an API key, when given).</summary>
    public static async Task<StreamWatcher> ConnectAsync(Uri baseAddress, string? apiKey = null)
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
        try
        {
            await connection.StartWithinAsync(HubCalls.Timeout, baseAddress.ToString());
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        return watcher;
    }

    /// <summary>Records the messages of a connection made elsewhere (e.g. through an in-memory test server); it may be started already.</summary>
    public static async Task<StreamWatcher> WatchAsync(HubConnection connection)
    {
        var watcher = new StreamWatcher(connection);
        if (connection.State == HubConnectionState.Disconnected) await connection.StartWithinAsync(HubCalls.Timeout, "the training hub");
        return watcher;
    }

    /// <summary>
    /// Subscribes to the job and returns its stream, with k (<see cref="JobStream.SubscribedAt"/>) as Subscribe answered;
    /// throws <see cref="TimeoutException"/> when Subscribe is not answered within <see cref="HubCalls.Timeout"/>.
    /// </summary>
    public async Task<JobStream> SubscribeAsync(string jobId)
    {
        var job = await Connection.InvokeWithinAsync<JsonElement>("Subscribe", jobId, HubCalls.Timeout);
        var stream = Stream(jobId);
        stream.SubscribedAt = job.GetProperty("epochsCompleted").GetInt32();
        stream.SubscribedStatus = job.GetProperty("status").GetString()!;
        return stream;
    }

    public JobStream Stream(string jobId) => _streams.GetOrAdd(jobId, _ => new JobStream());

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
