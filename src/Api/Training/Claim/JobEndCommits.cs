using BackpropService.Api.Observability;
using BackpropService.Persistence;
using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Training;

/// <summary>
/// Group commit of attempts' ends: the ends of attempts that finish while another end is being committed are stored
/// together in the next transaction, one commit (one fsync) for all of them. Each end is still fenced by its own
/// attempt token and written under a savepoint of its own: one whose lease was lost writes nothing, one whose writes
/// fail is rolled back to its savepoint and gets its error, and neither touches the others' ends. A failure that
/// takes the whole transaction with it (the commit, or an error the engine answers by rolling back everything, as
/// SQLite may for a full disk) is every end's error in that batch: each caller retries or fails as it would alone.
/// </summary>
/// <remarks>
/// NOTE: the first end to arrive while none is being committed commits at once, alone; only ends that arrive during
/// a commit wait, for the next one, which the first of them leads. So no end waits for a timer, and a lone end costs
/// what it did before. Figures: docs/performance.md (the worker's cuts).
/// </remarks>
public sealed class JobEndCommits(IDbContextFactory<BackpropDbContext> dbs, TimeProvider time, ILogger<JobEndCommits> logger)
{
    private readonly Lock _lock = new();
    private List<Pending> _pending = [];
    private bool _committing;
    private long _transactions;

    /// <summary>Whether an end is being committed now.</summary>
    public bool Committing { get { lock (_lock) return _committing; } }

    /// <summary>Ends waiting for the next commit (the commit in progress does not count its own).</summary>
    public int Waiting { get { lock (_lock) return _pending.Count; } }

    /// <summary>Transactions committed so far, however many ends each stored.</summary>
    public long Transactions => Interlocked.Read(ref _transactions);

    /// <summary>
    /// Stores <paramref name="end"/> (<see cref="JobEndStatements.WriteAsync"/>) in the next group commit: the status
    /// stored, or null when the lease was lost (with last epochs, <see cref="LeaseLostException"/>).
    /// </summary>
    public async Task<JobStatus?> CommitAsync(JobEnd end)
    {
        var mine = new Pending(end);
        bool lead;
        lock (_lock)
        {
            _pending.Add(mine);
            lead = !_committing;
            _committing = true;
        }
        if (!lead && await Task.WhenAny(mine.Turn.Task, mine.Result.Task) == mine.Turn.Task) lead = true;
        if (lead) await CommitPendingAsync();
        return await mine.Result.Task;
    }

    /// <summary>Commits every end pending now, then hands the next batch to the first end that came meanwhile.</summary>
    private async Task CommitPendingAsync()
    {
        List<Pending> batch;
        lock (_lock) (batch, _pending) = (_pending, []);
        try
        {
            await CommitAsync(batch);
        }
        finally
        {
            lock (_lock)
            {
                if (_pending.Count > 0) _pending[0].Turn.TrySetResult();
                else _committing = false;
            }
        }
    }

    private async Task CommitAsync(List<Pending> batch)
    {
        try
        {
            await using var db = await dbs.CreateDbContextAsync();
            await using var tx = await db.BeginWriteAsync();
            var now = time.GetUtcNow().UtcDateTime;
            var written = new List<(Pending End, JobStatus? Status)>(batch.Count);
            for (var i = 0; i < batch.Count; i++)
            {
                var pending = batch[i];
                var savepoint = "end" + i;
                // Each end's statements log under its own job, whichever end leads the commit.
                using var scope = JobLogScope.Begin(logger, pending.End.Claim.JobId);
                if (batch.Count > 1) await tx.CreateSavepointAsync(savepoint);
                try
                {
                    written.Add((pending, await JobEndStatements.WriteAsync(db, pending.End, now, CancellationToken.None)));
                }
                catch (Exception ex) when (batch.Count > 1)
                {
                    // Undo this end's writes only; should the engine have rolled back the whole transaction, this
                    // throws and every end of the batch gets the failure (below).
                    await tx.RollbackToSavepointAsync(savepoint);
                    pending.Result.TrySetException(ex);
                }
            }
            await tx.CommitAsync();
            Interlocked.Increment(ref _transactions);
            foreach (var (pending, status) in written) pending.Result.TrySetResult(status);
        }
        catch (Exception ex)
        {
            foreach (var pending in batch) pending.Result.TrySetException(ex);
        }
    }

    private sealed class Pending(JobEnd end)
    {
        public JobEnd End { get; } = end;

        /// <summary>Set when this end is to lead the next commit.</summary>
        public TaskCompletionSource Turn { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<JobStatus?> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
