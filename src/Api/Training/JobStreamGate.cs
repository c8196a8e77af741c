namespace BackpropService.Api.Training;

/// <summary>
/// Orders a job's history flushes against hub subscriptions. The flush loop persists epochs and sends them to the
/// job's group while holding the job's gate; <c>Subscribe</c> joins the group and reads <c>epochsCompleted</c> (k)
/// under the same gate. So every flush is either wholly before the subscription (its epochs are ≤ k and are not
/// sent to the new member) or wholly after it (its epochs are &gt; k and are sent): k+1… exactly once, never ≤ k.
/// </summary>
public sealed class JobStreamGate
{
    // NOTE: striped locks keep memory bounded however many jobs exist; two jobs sharing a stripe merely wait briefly.
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async Task<IDisposable> EnterAsync(string jobId, CancellationToken cancellationToken = default)
    {
        var stripe = _stripes[(int)((uint)StringComparer.Ordinal.GetHashCode(jobId) % (uint)_stripes.Length)];
        await stripe.WaitAsync(cancellationToken);
        return new Releaser(stripe);
    }

    private sealed class Releaser(SemaphoreSlim stripe) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) stripe.Release();
        }
    }
}
