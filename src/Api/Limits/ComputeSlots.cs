using Microsoft.Extensions.Options;

namespace BackpropService.Api.Limits;

/// <summary>
/// At most Limits:MaxConcurrentComputations evaluations, predictions and graphs on a row run at once, whatever the
/// number of clients, so their memory adds up to a bounded multiple of one request's; the rest wait their turn
/// (holding only their parsed request) until a slot frees or the client goes away.
/// </summary>
public sealed class ComputeSlots(IOptions<LimitsOptions> limits)
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, limits.Value.MaxConcurrentComputations));

    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        await _slots.WaitAsync(ct);
        return new Slot(_slots);
    }

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) slots.Release();
        }
    }
}
