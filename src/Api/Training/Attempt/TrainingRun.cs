using System.Diagnostics;
using BackpropService.Api.Jobs;
using BackpropService.Engine;

namespace BackpropService.Api.Training;

/// <summary>
/// The training thread of an attempt: runs the session on a training thread and records each epoch in
/// <see cref="OnEpoch"/>, the one per-epoch callback: replayed epochs are checked against the stored history and
/// skipped, new ones go into the <see cref="EpochBuffer"/>, and a checkpoint is taken when one is due. The fields
/// below marked "training thread" are touched by nothing else.
/// </summary>
public sealed class TrainingRun
{
    private readonly string _jobId;
    private readonly string _instanceName;
    private readonly TrainingSession _session;
    private readonly EpochBuffer _buffer;
    private readonly ResumePoint _resume;
    private readonly CancellationTokenSource _cancel;
    private readonly long _checkpointInterval;
    private readonly ILogger _logger;
    private long _nextCheckpointAt; // training thread
    private bool _replaying;        // training thread
    private int _stopRequested;     // set by shutdown, read by the training thread

    private TrainingRun(string jobId, TrainingSession session, EpochBuffer buffer, ResumePoint resume, CancellationTokenSource cancel, TrainingOptions options, ILogger logger)
    {
        (_jobId, _session, _buffer, _resume, _cancel, _logger) = (jobId, session, buffer, resume, cancel, logger);
        _instanceName = options.InstanceName;
        // Environment.TickCount64 rather than a Stopwatch: it is read every epoch, and a coarse clock is the cheaper.
        _checkpointInterval = (long)options.CheckpointInterval.TotalMilliseconds;
        // Due from the start (the clock counts up from boot): the first epoch of an attempt is checkpointed at once, so
        // weights (and /predict, /graph?row=) are available a moment after a job starts, not a CheckpointInterval later.
        _nextCheckpointAt = 0;
        // Epochs already in the history (a resume from a checkpoint older than the last flush) are replayed but neither
        // written nor streamed again, so subscribers get each epoch once. Should a replayed cost differ from the stored
        // one (not expected: training is bit-deterministic), history is rewritten from there.
        _replaying = resume.StoredThrough > resume.CheckpointEpoch;
    }

    /// <summary>The run's outcome; faults when a training step threw.</summary>
    public Task<TrainingOutcome> Completion { get; private set; } = null!;

    public int EpochsCompleted => _session.EpochsCompleted;

    public string? Error => _session.Error;

    /// <summary>
    /// Starts training on a training thread (<see cref="TrainingThreads"/>); <paramref name="cancel"/> stops it at the next
    /// epoch boundary. As on a thread of its own, what awaits <see cref="Completion"/> runs on from that thread (the
    /// attempt's end); the next job's training takes another training thread meanwhile.
    /// </summary>
    public static TrainingRun Start(string jobId, TrainingSession session, EpochBuffer buffer, ResumePoint resume, CancellationTokenSource cancel, TrainingOptions options, ILogger logger)
    {
        var run = new TrainingRun(jobId, session, buffer, resume, cancel, options, logger);
        var completion = new TaskCompletionSource<TrainingOutcome>();
        run.Completion = completion.Task;
        TrainingThreads.Shared.Run(() =>
        {
            TrainingOutcome outcome;
            try
            {
                using (CorePinning.Shared.Enter()) outcome = run.Train(options.YieldEvery);
            }
            catch (Exception ex)
            {
                completion.SetException(ex);
                return;
            }
            completion.SetResult(outcome);
        });
        return run;
    }

    /// <summary>Shutdown: checkpoint at the next epoch boundary and stop there; give up waiting after <paramref name="timeout"/>.</summary>
    public void RequestStop(TimeSpan timeout)
    {
        Volatile.Write(ref _stopRequested, 1);
        try { _cancel.CancelAfter(timeout); } catch (ObjectDisposedException) { /* ended meanwhile */ }
    }

    /// <summary>The job's final weights (the session's parameters now).</summary>
    public PendingCheckpoint FinalWeights() => new(_session.EpochsCompleted, [], ParameterCodec.Encode(_session.Parameters()));

    /// <summary>
    /// A finished job's result: the best epoch's weights when early stopping keeps them (restoreBest), else
    /// <see cref="FinalWeights"/>.
    /// </summary>
    public PendingCheckpoint ResultWeights() => _session.BestParameters() is { } best
        ? new(_session.BestEpoch!.Value, [], ParameterCodec.Encode(best))
        : FinalWeights();

    /// <summary>Early stopping's result for the job object, from how training ended.</summary>
    public EarlyStopResult EarlyStop(TrainingOutcome outcome) =>
        new(outcome == TrainingOutcome.StoppedEarly, _session.BestEpoch, _session.BestMetric);

    private TrainingOutcome Train(TimeSpan yieldEvery)
    {
        var started = Stopwatch.GetTimestamp();
        var from = _session.EpochsCompleted;
        var result = _session.Run(OnEpoch, _cancel.Token, yieldEvery);
        _logger.LogInformation("Job {JobId}: epochs {From}..{To} trained in {Milliseconds:F0} ms ({Outcome})",
            _jobId, from + 1, _session.EpochsCompleted, Stopwatch.GetElapsedTime(started).TotalMilliseconds, result);
        return result;
    }

    /// <summary>Training thread: called by the engine after every epoch.</summary>
    private void OnEpoch(EpochReport report)
    {
        Testing.EpochHold.At(_instanceName, _jobId, report.Epoch, _cancel);
        var stopping = Volatile.Read(ref _stopRequested) == 1;
        if (_replaying)
        {
            if (_resume.IsStored(report.Epoch, report.Cost))
            {
                if (stopping) _cancel.Cancel();
                return;
            }
            _replaying = false;
            if (report.Epoch <= _resume.StoredThrough)
            {
                _logger.LogWarning("Job {JobId}: epoch {Epoch} replayed to a different cost than stored; rewriting its history from there", _jobId, report.Epoch);
                _buffer.MarkRewrite();
            }
        }
        _buffer.Add(report);
        if (!stopping && Environment.TickCount64 < _nextCheckpointAt) return;
        _buffer.SetCheckpoint(new PendingCheckpoint(report.Epoch, _session.SaveCheckpoint(), ParameterCodec.Encode(_session.Parameters())));
        _nextCheckpointAt = Environment.TickCount64 + _checkpointInterval;
        if (stopping) _cancel.Cancel();
    }
}
