using BackpropService.Api.Datasets;
using BackpropService.Api.Jobs;
using BackpropService.Api.Networks;
using BackpropService.Engine;
using BackpropService.Persistence;
using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Training;

/// <summary>
/// One attempt at a job, from its claim to its end, as a state machine. It owns the lease (renewed by its
/// <see cref="LeaseHeartbeat"/>), the epoch buffer the <see cref="TrainingRun"/> fills, the flushes (store, then
/// stream, under the job's <see cref="JobStreamGate"/>), the checkpoints they carry and the end-of-job decision.
/// <code>
///   Claimed ──► Resending ──► Training ──► Ending ──► Done
///      │            │             │           │
///      └────────────┴──── Lost / Failed ──────┘──────► Done
/// </code>
/// Claimed: too many attempts → Failed; else load the job, rewind to its checkpoint, publish its status.
/// Resending: (replicas sharing a stream) send the stored epochs a predecessor may not have streamed, in flushes.
/// Training: the engine trains on its own thread; flush until it stops (a sweep's trial also reports its progress). Ending: store the last epochs, decide the end
/// (finish, or release for a shutdown), then send them and the status. Lost: the lease went to another worker: stop
/// without writing. Failed: stop training and end the job failed with the reason. Any failure ends the job, never the worker.
/// </summary>
public sealed class JobAttempt(JobClaim claim, AttemptServices services, CancellationToken stopping)
{
    private enum State { Claimed, Resending, Training, Ending, Lost, Failed, Done }

    private readonly TrainingOptions _options = services.Options.Value;
    private readonly ILogger _logger = services.Logger;
    private readonly EpochBuffer _buffer = new();
    private readonly CancellationTokenSource _cancel = new();
    // NOTE: continuations run synchronously (on the training thread as it ends): the worker's is one short call.
    private readonly TaskCompletionSource _trainingEnded = new();
    private LeaseHeartbeat? _heartbeat;
    private (Engine.Network Network, TrainingData Data, TrainingSettings Settings, IReadOnlyList<NamedTensor>? InitialWeights) _job;
    private ResumePoint _resume = null!;
    private TrainingRun? _run;
    private TrialProgress? _trial;
    private int _sentThrough;
    private bool _cancelRequested;
    private string? _failure;

    private string JobId => claim.JobId;

    /// <summary>
    /// Completes once the attempt trains no more: its training thread has ended (or none started). What is left, storing
    /// and sending its end, needs no training slot (<see cref="TrainingWorker"/>). What continues it must be short and
    /// must not block: it runs on the attempt's thread.
    /// </summary>
    public Task TrainingEnded => _trainingEnded.Task;

    public async Task RunAsync()
    {
        var state = State.Claimed;
        try
        {
            while (state != State.Done)
            {
                try
                {
                    state = await NextAsync(state);
                    if (state is State.Done) _trainingEnded.TrySetResult(); // the run ended, or none started
                }
                catch (LeaseLostException) when (state is not (State.Lost or State.Failed))
                {
                    state = State.Lost;
                }
                catch (Exception ex) when (state is not (State.Lost or State.Failed))
                {
                    _logger.LogError(ex, "Job {JobId} failed", JobId);
                    _failure = Reason(ex);
                    state = State.Failed;
                }
            }
        }
        finally
        {
            _trainingEnded.TrySetResult();
            services.Cancellations.Unregister(JobId, _cancel);
            if (_heartbeat is not null) await _heartbeat.DisposeAsync();
            // Its segments go back to the pool only once the training thread is done with them (it always is, but for
            // a fault in stopping it: then they are left to the collector).
            if (_run is null || _run.Completion.IsCompleted) _buffer.Dispose();
            _cancel.Dispose();
        }
    }

    private Task<State> NextAsync(State state) => state switch
    {
        State.Claimed => ClaimedAsync(),
        State.Resending => ResendingAsync(),
        State.Training => TrainingAsync(),
        State.Ending => EndingAsync(),
        State.Lost => LostAsync(),
        State.Failed => FailedAsync(),
        _ => throw new InvalidOperationException($"No transition from {state}."),
    };

    private async Task<State> ClaimedAsync()
    {
        if (claim.Attempts > _options.MaxAttempts)
        {
            _failure = $"Gave up after {_options.MaxAttempts} attempts: every attempt ended without a result (the worker crashed or was killed while training it).";
            return State.Failed;
        }
        _heartbeat = LeaseHeartbeat.Start(services.Leases, claim, _cancel, _options.LeaseDuration, services.Time, _logger);
        (_job, var sweepId) = await JobLoader.LoadAsync(services.Dbs, services.Inputs, JobId);
        if (sweepId is not null) _trial = new TrialProgress(services.Hub, sweepId, JobId, services.Time, _logger);
        // A first start has nothing stored to rewind to (the claim just wrote its lease): no transaction for it.
        _resume = claim.FirstStart ? ResumePoint.FromScratch : await services.Store.RewindAsync(claim, CancellationToken.None);
        _sentThrough = _resume.StreamedThrough;
        await services.Events.PublishStatusAsync(JobId);
        return State.Resending;
    }

    /// <summary>
    /// A resumed job: sends again the stored epochs its previous attempt may have persisted but not streamed (at most
    /// its last flush, see <see cref="FlushPacing.MaxEpochsPerFlush"/>), when that attempt's subscribers can still be
    /// listening (on other replicas, through the backplane). They may get an epoch twice, with the same values; without
    /// this they would miss some for good. On a single replica the previous attempt's subscribers went with its
    /// process, and new ones read the stored epochs from /history.
    /// </summary>
    private async Task<State> ResendingAsync()
    {
        if (!services.Sharing.AcrossReplicas || _resume.StreamedThrough >= _resume.StoredThrough) return Replayed();
        while (_sentThrough < _resume.StoredThrough)
        {
            if (_heartbeat!.Lost.IsCompleted) return await LostOrFaultAsync();
            await using (await services.Gate.EnterAsync(JobId))
            {
                var take = Math.Min(FlushPacing.MaxEpochsPerFlush, _resume.StoredThrough - _sentThrough);
                var points = await services.Store.ReadAsync(JobId, _sentThrough, take, CancellationToken.None);
                if (points.Length == 0) break;
                await services.Stream.SendAsync(JobId, points);
                _sentThrough = points[^1].Epoch;
            }
        }
        _logger.LogInformation("Job {JobId}: re-sent epochs {From}..{To}, stored by its previous attempt but perhaps not streamed",
            JobId, _resume.StreamedThrough + 1, _sentThrough);
        return Replayed();
    }

    /// <summary>The stored epochs count as sent from here on: the replay neither writes nor streams them again.</summary>
    private State Replayed()
    {
        _sentThrough = _resume.StoredThrough;
        return State.Training;
    }

    private async Task<State> TrainingAsync()
    {
        var (network, data, settings, initialWeights) = _job;
        var session = _resume.Checkpoint is null
            ? TrainingSession.Start(network, data, settings, initialWeights)
            : TrainingSession.Resume(network, data, settings, _resume.Checkpoint.State);
        services.Cancellations.Register(JobId, _cancel);
        _run = TrainingRun.Start(JobId, session, _buffer, _resume, _cancel, _options, _logger);
        // The slot frees as the training thread ends, whatever the flush loop is doing (a slow flush, a held gate).
        _ = _run.Completion.ContinueWith(static (_, ended) => ((TaskCompletionSource)ended!).TrySetResult(), _trainingEnded,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        await using var shutdown = stopping.Register(() => _run.RequestStop(_options.ShutdownCheckpointTimeout));

        var wait = FlushPacing.FirstFlushDelay;
        var (trainingFrom, firstEpoch) = (services.Time.GetTimestamp(), session.EpochsCompleted);
        var lastFlush = trainingFrom;
        while (true)
        {
            await Task.WhenAny(_run.Completion, _heartbeat!.Lost, Task.Delay(wait));
            if (_heartbeat.Lost.IsCompleted) return await LostOrFaultAsync();
            if (_run.Completion.IsCompleted) return State.Ending;
            if (FlushPacing.WaitForEnd(_run.EpochsCompleted - firstEpoch, settings.Epochs - _run.EpochsCompleted,
                    services.Time.GetElapsedTime(trainingFrom), services.Time.GetElapsedTime(lastFlush), _options.FlushInterval) is { } untilEnd)
            {
                wait = untilEnd;
                continue;
            }
            var started = lastFlush = services.Time.GetTimestamp();
            await using (await services.Gate.EnterAsync(JobId))
            {
                // Never the last epoch: it goes out with the job's end, after the end is stored, so a subscriber slow to
                // take it cannot hold up the end (the trainer may still be ending when this wakes).
                var (checkpoint, points, rewrite) = _buffer.Drain(FlushPacing.MaxEpochsPerFlush, through: settings.Epochs - 1);
                if (points.Count > 0 || checkpoint is not null)
                {
                    await StoreAsync(points, checkpoint, rewrite);
                    await SendAsync(points);
                }
                if (_trial is not null) await _trial.TickAsync(points, _sentThrough);
                wait = FlushPacing.Next(points.Count, services.Time.GetElapsedTime(started), _options.FlushInterval);
            }
        }
    }

    /// <summary>
    /// The job's end, decided once training stopped and stored with its last epochs in one transaction, before they are
    /// streamed, so a slow subscriber delays neither its result nor its <c>finishedAt</c>, only its own last messages;
    /// the <c>status</c> message follows the last epochs. Both go out under the gate: a subscriber that joins meanwhile
    /// waits, then gets k = N and the final status. A shutdown instead stores the last epochs with their checkpoint (a
    /// cancel that store finds ends the job after all) and releases the lease once they went out: whoever resumes has
    /// nothing to re-send. Epochs go out only once stored.
    /// </summary>
    private async Task<State> EndingAsync()
    {
        bool release;
        await using (await services.Gate.EnterAsync(JobId))
        {
            var (checkpoint, points, rewrite) = _buffer.Drain();
            var end = await DecideEndAsync();
            var stored = false;
            if (end is null)
            {
                await StoreAsync(points, checkpoint, rewrite);
                stored = true;
                end = await DecideEndAsync();
            }
            release = end is null;
            // The checkpoint is not stored with the end: ending deletes the job's checkpoints.
            var finished = end is { } e && await FinishAsync(e.Status, e.Error, e.Weights, e.EarlyStop,
                stored ? null : new LastFlush(points, rewrite, _sentThrough));
            if (stored || finished) await SendAsync(points);
            if (finished) await services.Events.PublishStatusAsync(JobId);
        }
        if (release)
        {
            await _heartbeat!.DisposeAsync(); // no renewal may follow the release
            await services.Leases.ReleaseAsync(claim, CancellationToken.None);
            _logger.LogInformation("Job {JobId} stopped for shutdown at epoch {Epoch}; it resumes on the next start", JobId, _run!.EpochsCompleted);
        }
        return State.Done;
    }

    /// <summary>
    /// How the job ends, from how training stopped; null: stopped for shutdown, to be resumed. A run that early stopping
    /// ended has succeeded; a successful job's weights are its best epoch's when early stopping keeps them (restoreBest).
    /// </summary>
    private async Task<(JobStatus Status, string? Error, PendingCheckpoint? Weights, EarlyStopResult? EarlyStop)?> DecideEndAsync()
    {
        TrainingOutcome outcome;
        try
        {
            outcome = await _run!.Completion;
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Training job {JobId} threw", JobId);
            return (JobStatus.Failed, Reason(ex), _run!.FinalWeights(), null);
        }
        var earlyStop = _job.Settings.EarlyStopping is null ? null : _run.EarlyStop(outcome);
        return outcome switch
        {
            TrainingOutcome.Completed or TrainingOutcome.TargetReached or TrainingOutcome.StoppedEarly =>
                (JobStatus.Succeeded, null, _run.ResultWeights(), earlyStop),
            TrainingOutcome.Diverged => (JobStatus.Failed, _run.Error ?? $"Diverged at epoch {_run.EpochsCompleted}.", _run.FinalWeights(), earlyStop),
            TrainingOutcome.Cancelled when stopping.IsCancellationRequested && !_cancelRequested => null,
            _ => (JobStatus.Cancelled, null, _run.FinalWeights(), earlyStop),
        };
    }

    private async Task<State> LostAsync()
    {
        await StopTrainingAsync();
        _logger.LogWarning("{Message} Stopping without further writes.", new LeaseLostException(JobId).Message);
        return State.Done;
    }

    /// <summary>Fails the job outside a flush (a flush sends the status itself, after the last epochs), and says so.</summary>
    private async Task<State> FailedAsync()
    {
        await StopTrainingAsync();
        if (await FinishAsync(JobStatus.Failed, _failure, null)) await services.Events.PublishStatusAsync(JobId);
        return State.Done;
    }

    /// <summary>The heartbeat ended: the lease was lost (→ Lost), or renewing it failed (rethrown → Failed).</summary>
    private async Task<State> LostOrFaultAsync()
    {
        await _heartbeat!.Lost;
        return State.Lost;
    }

    /// <summary>The store half of a flush; with the lease lost, nothing was written and the attempt stops.</summary>
    /// <remarks>NOTE: a failed store rolls back whole, so retrying it with the same points writes each epoch once.</remarks>
    private async Task StoreAsync(ArraySegment<EpochReport> points, PendingCheckpoint? checkpoint, bool rewrite)
    {
        var stored = await services.Retry.RunAsync("save the training history",
            () => services.Store.StoreAsync(claim, points, checkpoint, rewrite, _sentThrough, CancellationToken.None));
        if (!stored.Owned) throw new LeaseLostException(JobId);
        if (stored.CancelRequested && !_cancelRequested)
        {
            _cancelRequested = true;
            services.Cancellations.Cancel(JobId);
        }
    }

    /// <summary>The stream half of a flush. The next store records it as sent (<see cref="TrainingJob.StreamedThrough"/>).</summary>
    private async Task SendAsync(ArraySegment<EpochReport> points)
    {
        await services.Stream.SendAsync(JobId, points);
        if (points.Count > 0) _sentThrough = points[^1].Epoch;
    }

    /// <summary>Stops the trainer (if it runs) and waits for its thread; how it ended no longer matters.</summary>
    private async Task StopTrainingAsync()
    {
        if (_run is null) return;
        await _cancel.CancelAsync();
        await ((Task)_run.Completion).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>
    /// Ends the attempt in <paramref name="status"/>, storing <paramref name="last"/> with it; true when it did (then the
    /// caller sends the status). Storage faults are retried as a flush's are. With epochs to store, a failure is a
    /// failed store, as in a flush: a lost lease → Lost, anything else (a full disk) → Failed with that reason.
    /// </summary>
    private async Task<bool> FinishAsync(JobStatus status, string? error, PendingCheckpoint? weights, EarlyStopResult? earlyStop = null, LastFlush? last = null)
    {
        try
        {
            if (await services.Retry.RunAsync(last is null ? "end the job" : "save the training history and end the job",
                    () => services.Leases.FinishAsync(claim, status, error, weights, CancellationToken.None, earlyStop, last))) return true;
            _logger.LogWarning("Job {JobId}: lease lost before it could be marked {Status}", JobId, status);
        }
        catch (Exception ex) when (last is null)
        {
            // The job stays running; once its lease expires another attempt resumes and ends it.
            _logger.LogError(ex, "Could not mark job {JobId} {Status}", JobId, status);
        }
        return false;
    }

    private static string Reason(Exception ex) => ex switch
    {
        ArgumentException or InvalidOperationException => ex.Message,
        OutOfMemoryException or OverflowException => "Training ran out of memory: its buffers are too large for this machine; use a smaller batch size or network.",
        _ => $"Training failed: {ex.Message}",
    };
}
