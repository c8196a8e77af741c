using Microsoft.Extensions.Options;

namespace BackpropService.Api.Limits;

/// <summary>
/// Counts the request bodies being received (each may be buffered up to Limits:MaxRequestBodyBytes), so that at most
/// Limits:MaxConcurrentBodies are held at once whatever the number of connections. A request that finds them all
/// taken waits up to <see cref="SlotWait"/> for one before it is turned away: a burst of small POSTs queues for the
/// few milliseconds each takes instead of failing, while bodies that stall still turn the next request away.
/// </summary>
public sealed class ConcurrentBodies(IOptions<LimitsOptions> limits)
{
    /// <summary>How long a request with a body waits for a free slot before its 503.</summary>
    public static readonly TimeSpan SlotWait = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _slots = new(limits.Value.MaxConcurrentBodies);

    public int Max => limits.Value.MaxConcurrentBodies;

    /// <summary>True once the request holds a slot; false when none came free within <see cref="SlotWait"/>.</summary>
    public Task<bool> TryEnterAsync(CancellationToken requestAborted) => _slots.WaitAsync(SlotWait, requestAborted);

    public void Exit() => _slots.Release();
}
