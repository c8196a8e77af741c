using Microsoft.Extensions.Options;

namespace BackpropService.Api.Limits;

/// <summary>
/// Counts the request bodies being received (each may be buffered up to Limits:MaxRequestBodyBytes), so that at most
/// Limits:MaxConcurrentBodies are held at once whatever the number of connections.
/// </summary>
public sealed class ConcurrentBodies(IOptions<LimitsOptions> limits)
{
    private int _count;

    public int Max => limits.Value.MaxConcurrentBodies;

    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _count) <= Max) return true;
        Interlocked.Decrement(ref _count);
        return false;
    }

    public void Exit() => Interlocked.Decrement(ref _count);
}
