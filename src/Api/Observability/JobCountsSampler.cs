using System.Diagnostics.Metrics;
using BackpropService.Api.Database;
using BackpropService.Persistence;
using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Observability;

/// <summary>
/// Counts the jobs in the database by status every few seconds, for the <c>backprop.jobs</c> gauge. The count is
/// taken here, off the scrape: a scrape only reads the last sample and never waits on the database. The first count
/// waits for the start-up work registered as <see cref="IStartupWork"/> (the first-use warm-up).
/// </summary>
public sealed class JobCountsSampler(IDbContextFactory<BackpropDbContext> dbs, DatabaseStartup database, IEnumerable<IStartupWork> startup,
    ILogger<JobCountsSampler> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private volatile IReadOnlyDictionary<JobStatus, int>? _counts;
    private readonly TaskCompletionSource _firstSample = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the gauge has its first sample.</summary>
    public Task FirstSample => _firstSample.Task;

    public IEnumerable<Measurement<long>> Observe()
    {
        if (_counts is not { } counts) yield break;
        foreach (var status in Enum.GetValues<JobStatus>())
            yield return new Measurement<long>(counts.GetValueOrDefault(status),
                new KeyValuePair<string, object?>("status", TrainingMetrics.StatusName(status)));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await database.Ready.WaitAsync(stoppingToken);
        await Task.WhenAll(startup.Select(work => work.Done)).WaitAsync(stoppingToken);
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await using var db = await dbs.CreateDbContextAsync(stoppingToken);
                _counts = await db.Jobs.GroupBy(j => j.Status)
                    .Select(g => new { Status = g.Key, Count = g.Count() })
                    .ToDictionaryAsync(g => g.Status, g => g.Count, stoppingToken);
                _firstSample.TrySetResult();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Metrics must never take the service down; the gauge keeps its last sample until the next try.
                logger.LogWarning(ex, "Counting jobs for the metrics failed");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
