using BackpropService.Api.Database;
using BackpropService.Persistence;
using BackpropService.Persistence.Entities;
using BackpropService.Persistence.Lifecycle;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Lifecycle;

/// <summary>
/// Applies <see cref="RetentionOptions.FinishedJobsDays"/>: every <see cref="RetentionOptions.SweepInterval"/>,
/// deletes the finished jobs that finished longer ago than that (every owner's), oldest first, in batches of
/// <see cref="RetentionOptions.BatchSize"/>, each batch one transaction. Does nothing when the setting is off.
/// Every replica may sweep: deleting an already deleted job deletes nothing.
/// </summary>
public sealed class RetentionSweep(IDbContextFactory<BackpropDbContext> dbs, IOptions<RetentionOptions> options, TimeProvider time,
    DatabaseStartup database, ILogger<RetentionSweep> logger) : BackgroundService
{
    private TaskCompletionSource<int> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the number of jobs deleted when the next sweep to start after this call has finished.</summary>
    public Task<int> NextSweepAsync() => Volatile.Read(ref _next).Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        await database.Ready.WaitAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var done = Interlocked.Exchange(ref _next, new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously));
            try
            {
                done.SetResult(await SweepOnceAsync(stoppingToken));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                done.SetCanceled(stoppingToken);
                return;
            }
            catch (Exception ex)
            {
                // A busy or unreachable database: the next sweep tries again; the jobs only live a little longer.
                logger.LogWarning(ex, "Retention sweep failed; retrying in {Interval}.", options.Value.SweepInterval);
                done.SetException(ex);
            }
            try { await Task.Delay(options.Value.SweepInterval, time, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Deletes every finished job older than the retention, batch by batch; returns how many went.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken ct)
    {
        var cutoff = time.GetUtcNow().UtcDateTime - TimeSpan.FromDays(options.Value.FinishedJobsDays ?? 0);
        var batch = Math.Max(1, options.Value.BatchSize);
        var total = 0;
        while (true)
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            var ids = await db.Jobs.AsNoTracking()
                .Where(j => j.Status != JobStatus.Queued && j.Status != JobStatus.Running && j.FinishedAt != null && j.FinishedAt < cutoff)
                .OrderBy(j => j.FinishedAt).Select(j => j.Id).Take(batch).ToListAsync(ct);
            if (ids.Count == 0) break;
            await using (var tx = await db.BeginWriteAsync(ct))
            {
                total += await Deletions.DeleteFinishedAsync(db, ids, ct);
                await tx.CommitAsync(ct);
            }
            if (ids.Count < batch) break;
        }
        if (total > 0) logger.LogInformation("Retention sweep deleted {Count} jobs finished before {Cutoff:o}.", total, cutoff);
        return total;
    }
}
