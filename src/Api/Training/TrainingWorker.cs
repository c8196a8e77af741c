using BackpropService.Api.Jobs;
using BackpropService.Api.Observability;
using BackpropService.Engine;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Training;

/// <summary>
/// Claims jobs from the database (the queue of record) and runs up to <see cref="TrainingOptions.MaxConcurrentJobs"/>
/// of them. Woken by <see cref="TrainingJobQueue"/>, by a finished job, or by the poll interval (jobs of other
/// processes, expired leases). On stop, running jobs checkpoint and release their leases.
/// </summary>
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
        while (!stoppingToken.IsCancellationRequested)
        {
            heartbeat.Beat();
            _running.RemoveAll(t => t.IsCompleted);
            try
            {
                while (_running.Count < max && await leases.TryClaimAsync(stoppingToken) is { } claim)
                {
                    metrics.JobClaimed();
                    // The scope flows into the job's task: every line the job logs carries its JobId.
                    using (JobLogScope.Begin(logger, claim.JobId))
                    {
                        logger.LogInformation("Claimed job {JobId} (attempt {Attempt})", claim.JobId, claim.Attempts);
                        var attempt = new JobAttempt(claim, attempts, stoppingToken);
                        _running.Add(Task.Run(() => metrics.TrackTrainingAsync(attempt.RunAsync), CancellationToken.None));
                    }
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

            using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var nudged = queue.WaitAsync(wake.Token);
            var finished = _running.Count > 0 ? Task.WhenAny(_running) : Task.Delay(Timeout.Infinite, wake.Token);
            var poll = Task.Delay(options.Value.PollInterval, wake.Token);
            // A full worker ignores nudges until a job finishes; the nudge stays pending in the channel.
            await (_running.Count >= max ? Task.WhenAny(finished, poll) : Task.WhenAny(nudged, finished, poll));
            await wake.CancelAsync();
            await Task.WhenAll(Quiet(nudged), Quiet(poll));
        }
        // Let every running job reach its checkpoint and release its lease.
        await Task.WhenAll(_running);
    }

    private static async Task Quiet(Task task)
    {
        try { await task; } catch (OperationCanceledException) { }
    }
}
