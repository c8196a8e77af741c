using System.Collections.Concurrent;

namespace BackpropService.Api.Jobs;

/// <summary>The cancellation sources of the jobs training in this process, so a cancel request stops one at once.</summary>
public sealed class JobCancellations
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new();

    public void Register(string jobId, CancellationTokenSource source) => _running[jobId] = source;

    /// <summary>Forgets <paramref name="source"/>, unless a later attempt at the job in this process registered its own since.</summary>
    public void Unregister(string jobId, CancellationTokenSource source) => _running.TryRemove(KeyValuePair.Create(jobId, source));

    public void Cancel(string jobId)
    {
        if (!_running.TryGetValue(jobId, out var source)) return;
        try { source.Cancel(); }
        catch (ObjectDisposedException) { /* finished meanwhile: nothing left to cancel */ }
    }
}
