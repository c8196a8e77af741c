using System.Collections.Concurrent;

namespace BackpropService.Api.Training;

/// <summary>
/// Which jobs have subscribers on this replica's hub, so that a job nobody watches is not read again and published
/// twice (start and end) for nobody: most of a small job's status work (docs/performance.md, "Many small jobs").
/// A subscription counts from before its <c>Subscribe</c> reads the job until the connection leaves the group or
/// closes: a status committed before that read is in the read; one committed after it is published. Sweep
/// subscriptions count as subscribers of every job (a trial's status goes to its sweep's group too).
/// </summary>
public sealed class JobSubscribers
{
    // connection → its groups → the group's job ("" for a sweep's group)
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, string>> _byConnection = new();
    private readonly ConcurrentDictionary<string, int> _byJob = new();
    private int _sweepSubscriptions;

    /// <summary>Whether a status of <paramref name="jobId"/> may have a listener here.</summary>
    public bool AnyFor(string jobId) => Volatile.Read(ref _sweepSubscriptions) > 0 || _byJob.ContainsKey(jobId);

    /// <summary>Counts the subscription (once per connection and group) before the hub joins the group.</summary>
    public void Add(string connectionId, string group, string? jobId)
    {
        if (!_byConnection.GetOrAdd(connectionId, _ => new()).TryAdd(group, jobId ?? "")) return;
        if (jobId is null) Interlocked.Increment(ref _sweepSubscriptions);
        else _byJob.AddOrUpdate(jobId, 1, (_, n) => n + 1);
    }

    /// <summary>Stops counting it (after the hub left the group).</summary>
    public void Remove(string connectionId, string group, string? jobId)
    {
        if (!_byConnection.TryGetValue(connectionId, out var groups) || !groups.TryRemove(group, out _)) return;
        if (jobId is null) Interlocked.Decrement(ref _sweepSubscriptions);
        else Release(jobId);
    }

    /// <summary>A closed connection leaves every group it was in.</summary>
    public void RemoveConnection(string connectionId)
    {
        if (!_byConnection.TryRemove(connectionId, out var groups)) return;
        foreach (var jobId in groups.Values)
        {
            if (jobId.Length > 0) Release(jobId);
            else Interlocked.Decrement(ref _sweepSubscriptions);
        }
    }

    private void Release(string jobId)
    {
        while (_byJob.TryGetValue(jobId, out var n))
        {
            if (n <= 1 ? _byJob.TryRemove(new KeyValuePair<string, int>(jobId, n)) : _byJob.TryUpdate(jobId, n - 1, n)) return;
        }
    }
}
