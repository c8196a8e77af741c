using BackpropService.Persistence;
using BackpropService.Persistence.Dialects;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Training;

/// <summary>
/// Orders a job's history flushes against hub subscriptions. The flush loop persists epochs and sends them to the
/// job's group while holding the job's gate; <c>Subscribe</c> joins the group and reads <c>epochsCompleted</c> (k)
/// under the same gate. So every flush is either wholly before the subscription (its epochs are ≤ k and are not
/// sent to the new member) or wholly after it (its epochs are &gt; k and are sent): k+1… exactly once, never ≤ k.
/// Across replicas the same holds through the dialect's lock (<see cref="IDatabaseDialect.LockJobAcrossReplicasAsync"/>),
/// taken inside the local stripe.
/// </summary>
public sealed class JobStreamGate(IDatabaseDialect dialect, IDbContextFactory<BackpropDbContext> dbs)
{
    // NOTE: striped locks keep memory bounded however many jobs exist; two jobs sharing a stripe merely wait briefly.
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async Task<IAsyncDisposable> EnterAsync(string jobId, CancellationToken cancellationToken = default)
    {
        var stripe = _stripes[(int)((uint)StringComparer.Ordinal.GetHashCode(jobId) % (uint)_stripes.Length)];
        await stripe.WaitAsync(cancellationToken);
        try
        {
            return new Releaser(stripe, await dialect.LockJobAcrossReplicasAsync(dbs, jobId, cancellationToken));
        }
        catch
        {
            stripe.Release();
            throw;
        }
    }

    private sealed class Releaser(SemaphoreSlim stripe, IAsyncDisposable? replicaLock) : IAsyncDisposable
    {
        private int _released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0) return;
            try
            {
                if (replicaLock is not null) await replicaLock.DisposeAsync();
            }
            finally
            {
                stripe.Release();
            }
        }
    }
}
