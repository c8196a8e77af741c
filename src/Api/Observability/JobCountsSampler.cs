using BackpropService.Api.Database;
using System.Diagnostics.Metrics;
using BackpropService.Persistence;
using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Observability;

/// <summary>
/// Counts the jobs in the database by status every few seconds, for the <c>backprop.jobs</c> gauge. The count is
/// taken here, off the scrape: a scrape only reads the last sample and never waits on the database.
/// </summary>
public sealed class JobCountsSampler(IDbContextFactory<BackpropDbContext> dbs, DatabaseStartup database, ILogger<JobCountsSampler> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private volatile IReadOnlyDictionary<JobStatus, int>? _counts;

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
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await using var db = await dbs.CreateDbContextAsync(stoppingToken);
                _counts = await db.Jobs.GroupBy(j => j.Status)
                    .Select(g => new { Status = g.Key, Count = g.Count() })
                    .ToDictionaryAsync(g => g.Status, g => g.Count, stoppingToken);
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
