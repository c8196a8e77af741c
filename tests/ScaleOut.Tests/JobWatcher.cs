using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace BackpropService.ScaleOut.Tests;

/// <summary>A SignalR client of one replica's <c>/hubs/training</c>, recording every message per job in arrival order.</summary>
public sealed class JobWatcher : IAsyncDisposable
{
    private readonly HubConnection _hub;
    private readonly ConcurrentDictionary<string, JobStream> _streams = new();

    private JobWatcher(HubConnection hub) => _hub = hub;

    public static async Task<JobWatcher> ConnectAsync(Replica replica)
    {
        var hub = new HubConnectionBuilder().WithUrl(new Uri(replica.BaseAddress, "/hubs/training")).Build();
        var watcher = new JobWatcher(hub);
        hub.On<JsonElement>("epochs", message =>
        {
            var stream = watcher.Stream(message.GetProperty("jobId").GetString()!);
            foreach (var point in message.GetProperty("points").EnumerateArray())
                stream.AddPoint(point.GetProperty("epoch").GetInt32(),
                    point.GetProperty("cost").ValueKind == JsonValueKind.Number ? point.GetProperty("cost").GetDouble() : null);
        });
        hub.On<JsonElement>("status", job => watcher.Stream(job.GetProperty("id").GetString()!).AddStatus(job.GetProperty("status").GetString()!));
        await hub.StartAsync();
        return watcher;
    }

    /// <summary>Subscribes and returns k, the <c>epochsCompleted</c> of the job at that moment.</summary>
    public async Task<int> SubscribeAsync(string jobId)
    {
        var job = await _hub.InvokeAsync<JsonElement>("Subscribe", jobId);
        var k = job.GetProperty("epochsCompleted").GetInt32();
        Stream(jobId).SubscribedAt = k;
        return k;
    }

    public JobStream Stream(string jobId) => _streams.GetOrAdd(jobId, _ => new JobStream());

    public async ValueTask DisposeAsync() => await _hub.DisposeAsync();
}

/// <summary>What one watcher received about one job.</summary>
public sealed class JobStream
{
    private readonly Lock _lock = new();
    private readonly List<(int Epoch, double? Cost)> _points = [];
    private readonly List<string> _statuses = [];

    public int SubscribedAt { get; set; }

    public void AddPoint(int epoch, double? cost)
    {
        lock (_lock) _points.Add((epoch, cost));
    }

    public void AddStatus(string status)
    {
        lock (_lock) _statuses.Add(status);
    }

    public IReadOnlyList<(int Epoch, double? Cost)> Points
    {
        get { lock (_lock) return _points.ToList(); }
    }

    public IReadOnlyList<string> Statuses
    {
        get { lock (_lock) return _statuses.ToList(); }
    }
}
