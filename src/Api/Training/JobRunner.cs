using System.Diagnostics;
using BackpropService.Api.Datasets;
using BackpropService.Api.Jobs;
using BackpropService.Api.Networks;
using BackpropService.Engine;
using BackpropService.Persistence;
using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Training;

/// <summary>
/// Trains one claimed job: the engine runs on its own thread while this loop flushes history (persist, then
/// publish) and checkpoints; at the end the job is finished once its last epochs are stored (before they are sent;
/// its status message follows them), or released for a resume on shutdown.
/// Any failure of the job ends it <c>failed</c> with the reason; the worker lives on.
/// </summary>
public sealed class JobRunner(
    IDbContextFactory<BackpropDbContext> dbs,
    JobLeaseStore leases,
    JobFlusher flusher,
    JobEvents events,
    JobCancellations cancellations,
    IOptions<TrainingOptions> options,
    ILogger<JobRunner> logger)
{
    public async Task RunAsync(JobAttempt attempt, CancellationToken stopping)
    {
        try
        {
            await RunCoreAsync(attempt, stopping);
        }
        catch (LeaseLostException ex)
        {
            logger.LogWarning("{Message} Stopping without further writes.", ex.Message);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Job {JobId} failed", attempt.JobId);
            await FailAsync(attempt, Reason(ex));
        }
    }

    private async Task RunCoreAsync(JobAttempt attempt, CancellationToken stopping)
    {
        var o = options.Value;
        if (attempt.Attempts > o.MaxAttempts)
        {
            await FailAsync(attempt, $"Gave up after {o.MaxAttempts} attempts: every attempt ended without a result (the worker crashed or was killed while training it).");
            return;
        }

        var (network, data, settings) = await LoadAsync(attempt.JobId);
        var resume = await leases.RewindAsync(attempt, CancellationToken.None);
        var checkpoint = resume.Checkpoint;
        await events.PublishStatusAsync(attempt.JobId);
        await flusher.ResendUnstreamedAsync(attempt, resume);
        var session = checkpoint is null
            ? TrainingSession.Start(network, data, settings)
            : TrainingSession.Resume(network, data, settings, checkpoint.State);

        using var cancel = new CancellationTokenSource();
        cancellations.Register(attempt.JobId, cancel);
        try
        {
            using var buffer = new EpochBuffer();
            var stopRequested = false;
            // Environment.TickCount64 rather than a Stopwatch: it is read every epoch, and a coarse clock costs a few
            // nanoseconds where a precise one costs tens (a million epochs a second notice the difference).
            var checkpointInterval = (long)o.CheckpointInterval.TotalMilliseconds;
            // Due from the start (the clock counts up from boot): the first epoch of an attempt is checkpointed at
            // once, so weights (and /predict, /graph?row=) are available a moment after a job starts rather than a
            // whole CheckpointInterval later.
            var nextCheckpointAt = 0L;
            // Epochs already in the history (a resume from a checkpoint older than the last flush) are replayed but
            // neither written nor streamed again, so subscribers get each epoch once. Should a replayed cost differ
            // from the stored one (not expected: training is bit-deterministic), history is rewritten from there.
            var replaying = resume.StoredThrough > resume.CheckpointEpoch;
            void OnEpoch(EpochReport report)
            {
                Testing.EpochHold.At(o.InstanceName, attempt.JobId, report.Epoch, cancel);
                if (replaying)
                {
                    if (resume.IsStored(report.Epoch, report.Cost))
                    {
                        if (Volatile.Read(ref stopRequested)) cancel.Cancel();
                        return;
                    }
                    replaying = false;
                    if (report.Epoch <= resume.StoredThrough)
                    {
                        logger.LogWarning("Job {JobId}: epoch {Epoch} replayed to a different cost than stored; rewriting its history from there", attempt.JobId, report.Epoch);
                        buffer.MarkRewrite();
                    }
                }
                buffer.Add(report);
                if (!Volatile.Read(ref stopRequested) && Environment.TickCount64 < nextCheckpointAt) return;
                buffer.SetCheckpoint(new PendingCheckpoint(report.Epoch, session.SaveCheckpoint(), ParameterCodec.Encode(session.Parameters())));
                nextCheckpointAt = Environment.TickCount64 + checkpointInterval;
                if (Volatile.Read(ref stopRequested)) cancel.Cancel();
            }

            // Shutdown: checkpoint at the next epoch boundary and stop there; give up waiting after a timeout.
            await using var onStop = stopping.Register(() =>
            {
                Volatile.Write(ref stopRequested, true);
                try { cancel.CancelAfter(o.ShutdownCheckpointTimeout); } catch (ObjectDisposedException) { }
            });

            var training = Task.Factory.StartNew(() =>
                {
                    var started = Stopwatch.GetTimestamp();
                    var from = session.EpochsCompleted;
                    var result = session.Run(OnEpoch, cancel.Token, o.YieldEvery);
                    logger.LogInformation("Job {JobId}: epochs {From}..{To} trained in {Milliseconds:F0} ms ({Outcome})",
                        attempt.JobId, from + 1, session.EpochsCompleted, Stopwatch.GetElapsedTime(started).TotalMilliseconds, result);
                    return result;
                },
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            // The job's end, decided once its last epochs are stored and before they are streamed (RunUntilAsync,
            // which then sends the status message after them).
            var stoppedForShutdown = false;
            async Task<bool> EndAsync(HistoryWriter.FlushResult final)
            {
                TrainingOutcome outcome;
                try { outcome = await training; }
                catch (Exception ex)
                {
                    logger.LogError(ex, "Training job {JobId} threw", attempt.JobId);
                    return await FinishAsync(attempt, JobStatus.Failed, Reason(ex), Weights(session));
                }
                switch (outcome)
                {
                    case TrainingOutcome.Completed or TrainingOutcome.TargetReached:
                        return await FinishAsync(attempt, JobStatus.Succeeded, null, Weights(session));
                    case TrainingOutcome.Diverged:
                        return await FinishAsync(attempt, JobStatus.Failed, session.Error ?? $"Diverged at epoch {session.EpochsCompleted}.", Weights(session));
                    case TrainingOutcome.Cancelled when stopping.IsCancellationRequested && !final.CancelRequested:
                        // Released below, once the last epochs went out: whoever resumes it has nothing to re-send.
                        stoppedForShutdown = true;
                        return false;
                    default:
                        return await FinishAsync(attempt, JobStatus.Cancelled, null, Weights(session));
                }
            }

            HistoryWriter.FlushResult flush;
            try { flush = await flusher.RunUntilAsync(attempt, buffer, training, cancel, resume.StoredThrough, EndAsync); }
            catch
            {
                // The history cannot be saved (storage failed past its retries): stop the trainer before failing the job.
                await cancel.CancelAsync();
                await training.ContinueWith(_ => { }, TaskScheduler.Default);
                throw;
            }
            if (!flush.Owned)
            {
                await training.ContinueWith(_ => { }, TaskScheduler.Default);
                throw new LeaseLostException(attempt.JobId);
            }
            if (stoppedForShutdown)
            {
                await leases.ReleaseAsync(attempt, CancellationToken.None);
                logger.LogInformation("Job {JobId} stopped for shutdown at epoch {Epoch}; it resumes on the next start", attempt.JobId, session.EpochsCompleted);
            }
        }
        finally
        {
            cancellations.Unregister(attempt.JobId);
        }
    }

    private async Task<(BackpropService.Engine.Network, TrainingData, TrainingSettings)> LoadAsync(string jobId)
    {
        await using var db = await dbs.CreateDbContextAsync();
        var job = await db.Jobs.AsNoTracking().FirstAsync(j => j.Id == jobId);
        var network = await db.Networks.AsNoTracking().FirstAsync(n => n.Id == job.NetworkId);
        var dataset = await db.Datasets.AsNoTracking().FirstAsync(d => d.Id == job.DatasetId);
        return (NetworkStore.Load(network), DatasetStore.ToTrainingData(dataset), JobMapper.ToEngine(JobMapper.Settings(job)));
    }

    private static PendingCheckpoint? Weights(TrainingSession session)
    {
        try { return new PendingCheckpoint(session.EpochsCompleted, [], ParameterCodec.Encode(session.Parameters())); }
        catch (Exception) { return null; } // REVIEW: a session that failed mid-step may not expose its parameters.
    }

    /// <summary>Fails the attempt outside the flush loop (which sends the status itself, after the last epochs), and says so.</summary>
    private async Task FailAsync(JobAttempt attempt, string reason)
    {
        if (await FinishAsync(attempt, JobStatus.Failed, reason, null)) await events.PublishStatusAsync(attempt.JobId);
    }

    /// <summary>Ends the attempt in <paramref name="status"/>; true when it did (then the caller sends the status).</summary>
    private async Task<bool> FinishAsync(JobAttempt attempt, JobStatus status, string? error, PendingCheckpoint? weights)
    {
        try
        {
            if (await leases.FinishAsync(attempt, status, error, weights, CancellationToken.None)) return true;
            logger.LogWarning("Job {JobId}: lease lost before it could be marked {Status}", attempt.JobId, status);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Could not mark job {JobId} {Status}", attempt.JobId, status);
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
