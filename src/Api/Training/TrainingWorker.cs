using BackpropService.Api.Jobs;
using BackpropService.Api.Observability;
using BackpropService.Engine;
using BackpropService.Persistence;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Training;

/// <summary>
/// Claims jobs from the database (the queue of record) and runs up to <see cref="TrainingOptions.MaxConcurrentJobs"/>
/// of them, claiming as many as it has free slots in one claim. Woken by <see cref="TrainingJobQueue"/> (while it has
/// a free slot), by a finished job, or by the poll interval (jobs of other processes, expired leases). On stop,
/// running jobs checkpoint and release their leases.
/// </summary>
/// <remarks>
/// NOTE: one wake-up signal instead of a linked token source, a delay and a WhenAny per round: the loop goes round
/// after every job, and those were a measurable part of a small job's cost (docs/performance.md, the worker's cuts).
/// A nudge that finds every slot taken is dropped: the worker claims again whenever a job ends, and that claim sees
/// every job committed before the nudge.
/// </remarks>
public sealed class TrainingWorker(
    JobLeases leases,
    AttemptServices attempts,
    TrainingJobQueue queue,
    WorkerHeartbeat heartbeat,
    IOptions<TrainingOptions> options,
    TrainingMetrics metrics,
    ILogger<TrainingWorker> logger) : BackgroundService
{
    private readonly List<Task> _running = [];
    private readonly SemaphoreSlim _wake = new(0);
    private volatile bool _full;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Start-up work belongs here, not in ExecuteAsync (which .NET 10 runs wholly in the background).
        EngineThreading.MaxDegreeOfParallelism = options.Value.EffectiveIntraOpThreads;
        await leases.ReleaseLeasesOfPreviousLifeAsync(cancellationToken);
        heartbeat.Beat();
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var max = Math.Max(1, options.Value.MaxConcurrentJobs);
        var nudges = ForwardNudgesAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            heartbeat.Beat();
            _running.RemoveAll(t => t.IsCompleted);
            _full = false; // before the claim: a nudge from now on wakes the loop again (see remarks)
            try
            {
                while (_running.Count < max)
                {
                    var claims = await leases.ClaimAsync(max - _running.Count, stoppingToken);
                    if (claims.Count == 0) break;
                    foreach (var claim in claims) Start(claim, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The database may be busy or briefly unavailable: keep the worker alive and try again shortly.
                logger.LogError(ex, "Claiming a job failed");
            }
            _full = _running.Count >= max;
            try
            {
                await _wake.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
        await Quiet(nudges);
        // Let every running job reach its checkpoint and release its lease.
        await Task.WhenAll(_running);
    }

    private void Start(JobClaim claim, CancellationToken stoppingToken)
    {
        metrics.JobClaimed();
        // The scope flows into the job's task: every line the job logs carries its JobId.
        using (JobLogScope.Begin(logger, claim.JobId))
        {
            logger.LogInformation("Claimed job {JobId} (attempt {Attempt})", claim.JobId, claim.Attempts);
            var attempt = new JobAttempt(claim, attempts, stoppingToken);
            _running.Add(Task.Run(async () =>
            {
                try { await metrics.TrackTrainingAsync(attempt.RunAsync); }
                finally { Wake(); } // a slot is free: claim again
            }, CancellationToken.None));
        }
    }

    /// <summary>Turns the queue's nudges into wake-ups while the worker has a free slot.</summary>
    private async Task ForwardNudgesAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            await queue.WaitAsync(stoppingToken);
            if (!_full) Wake();
        }
    }

    /// <summary>Wakes the loop; wake-ups that come while one is pending collapse into it (give or take a race).</summary>
    private void Wake()
    {
        if (_wake.CurrentCount == 0) _wake.Release();
    }

    private static async Task Quiet(Task task)
    {
        try { await task; } catch (OperationCanceledException) { }
    }
}
