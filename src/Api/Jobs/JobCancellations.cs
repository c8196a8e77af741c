using System.Collections.Concurrent;

namespace BackpropService.Api.Jobs;

/// <summary>The cancellation sources of the jobs training in this process, so a cancel request stops one at once.</summary>
public sealed class JobCancellations
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new();

    public void Register(string jobId, CancellationTokenSource source) => _running[jobId] = source;

    public void Unregister(string jobId) => _running.TryRemove(jobId, out _);

    public void Cancel(string jobId)
    {
        if (!_running.TryGetValue(jobId, out var source)) return;
        try { source.Cancel(); }
        catch (ObjectDisposedException) { /* finished meanwhile: nothing left to cancel */ }
    }
}
