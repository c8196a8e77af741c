using BackpropService.Api.Database;
using BackpropService.Api.Jobs;
using BackpropService.Api.Observability;
using BackpropService.Engine;
using BackpropService.Persistence;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Training;

/// <summary>
/// Claims jobs from the database (the queue of record) and trains up to <see cref="TrainingOptions.MaxConcurrentJobs"/>
/// of them at once, claiming as many as it has free training slots in one claim round. A slot is freed when its
/// attempt's training thread ends, not when the attempt does: the end (its commit, the last messages) runs on while the
/// next job is claimed, loaded and trains; at most as many attempts as there are slots may be ending at once. A claim
/// round runs at once on the thread whose training ended, before that job's end; otherwise the loop's, woken by
/// <see cref="TrainingJobQueue"/> (while it has a free slot), by an attempt that ended, or by the poll interval (jobs of
/// other processes, expired leases). On stop, running jobs checkpoint and release their leases.
/// </summary>
/// <remarks>
/// NOTE: one wake-up signal instead of a linked token source, a delay and a WhenAny per round: the loop goes round
/// after every job, and those were a measurable part of a small job's cost (docs/performance.md, the worker's cuts).
/// A nudge that finds every slot taken is dropped: the worker claims again whenever a slot frees, and that claim sees
/// every job committed before the nudge.
/// NOTE: a job whose end is being stored is still <c>running</c> in the database, so for that moment a replica may
/// have up to twice <see cref="TrainingOptions.MaxConcurrentJobs"/> jobs <c>running</c>, never more than that many
/// training. A sweep's <c>maxConcurrent</c> counts the database's <c>running</c> trials, so it holds as before.
/// Why: a slot no longer waits for the end's commit (an fsync) or a slow subscriber's last message (docs/performance.md, slots).
/// NOTE: the round after a training ends runs on that training thread, in the worker's own execution context, up to its
/// first wait: the claim, then the claimed attempt's start (its load, its session, its run handed to a training
/// thread). Woken through the loop instead, the next job started ~4 ms after a sweep's trial ended: the loop's wake-up,
/// then its claim waiting for the ended job's end commit, which had taken the write turn first (docs/performance.md,
/// "claim on the spot").
/// </remarks>
public sealed class TrainingWorker(
    JobLeases leases,
    AttemptServices attempts,
    TrainingJobQueue queue,
    WorkerHeartbeat heartbeat,
    IOptions<TrainingOptions> options,
    TrainingMetrics metrics,
    DatabaseStartup database,
    ILogger<TrainingWorker> logger) : BackgroundService
{
    private readonly List<Task> _training = []; // each claimed attempt's TrainingEnded, until it completes
    private readonly List<Task> _running = [];  // each claimed attempt, training or ending, until it has ended
    private readonly SemaphoreSlim _wake = new(0);
    private readonly SemaphoreSlim _round = new(1, 1); // one claim round at a time: it owns the lists above
    private ExecutionContext? _context;                // the worker's, for the rounds run on training threads
    private CancellationToken _stopping;
    private volatile bool _full;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Start-up work belongs here, not in ExecuteAsync (which .NET 10 runs wholly in the background).
        EngineThreading.MaxDegreeOfParallelism = options.Value.EffectiveIntraOpThreads;
        // The host's start waits here for the database's preparation, and fails with its error.
        await database.Ready.WaitAsync(cancellationToken);
        await leases.ReleaseLeasesOfPreviousLifeAsync(cancellationToken);
        heartbeat.Beat();
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        (_context, _stopping) = (ExecutionContext.Capture(), stoppingToken);
        var nudges = ForwardNudgesAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            heartbeat.Beat();
            await ClaimRoundAsync();
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
        // Let every running job reach its checkpoint and release its lease (no round starts another one now).
        await _round.WaitAsync(CancellationToken.None);
        await Task.WhenAll(_running);
    }

    /// <summary>Claims as many jobs as there are free slots and starts them; never throws.</summary>
    private async Task ClaimRoundAsync()
    {
        var slots = Math.Max(1, options.Value.MaxConcurrentJobs);
        try
        {
            await _round.WaitAsync(_stopping);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        try
        {
            _full = false; // before the claim: a nudge from now on wakes the loop again (see remarks)
            while (FreeSlots(slots) is > 0 and var free)
            {
                var claims = await leases.ClaimAsync(free, _stopping);
                if (claims.Count == 0) break;
                foreach (var claim in claims) Start(claim, _stopping);
            }
            _full = FreeSlots(slots) == 0;
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // The database may be busy or briefly unavailable: keep the worker alive and try again shortly.
            logger.LogError(ex, "Claiming a job failed");
        }
        finally
        {
            _round.Release();
        }
    }

    /// <summary>
    /// Jobs the worker may claim now: its training slots not taken, and no more than the attempts still ending leave
    /// room for (at most <paramref name="slots"/> of them at once, so slow ends hold the claims back).
    /// </summary>
    private int FreeSlots(int slots)
    {
        _training.RemoveAll(t => t.IsCompleted);
        _running.RemoveAll(t => t.IsCompleted);
        return Math.Min(slots - _training.Count, 2 * slots - _running.Count);
    }

    private void Start(JobClaim claim, CancellationToken stoppingToken)
    {
        metrics.JobClaimed();
        // The scope flows into the job's task: every line the job logs carries its JobId.
        using (JobLogScope.Begin(logger, claim.JobId))
        {
            logger.LogInformation("Claimed job {JobId} (attempt {Attempt})", claim.JobId, claim.Attempts);
            var attempt = new JobAttempt(claim, attempts, stoppingToken);
            _training.Add(attempt.TrainingEnded);
            metrics.TrainingStarted();
            attempt.TrainingEnded.ContinueWith(static (_, worker) => ((TrainingWorker)worker!).SlotFreed(), this,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            // Runs here up to its first wait (see remarks): a claimed job's start needs no other thread.
            _running.Add(RunAsync(attempt));
        }
    }

    private async Task RunAsync(JobAttempt attempt)
    {
        try { await attempt.RunAsync(); }
        finally { Wake(); } // room for another ending attempt: claim again
    }

    /// <summary>An attempt stopped training: its slot is free, and a claim round fills it from here (see remarks).</summary>
    private void SlotFreed()
    {
        metrics.TrainingEnded();
        if (_context is null) _ = ClaimRoundAsync();
        else ExecutionContext.Run(_context, static worker => { _ = ((TrainingWorker)worker!).ClaimRoundAsync(); }, this);
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
