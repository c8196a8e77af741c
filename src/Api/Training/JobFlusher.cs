using System.Diagnostics;
using BackpropService.Api.Jobs;
using BackpropService.Api.Reliability;
using BackpropService.Engine;
using BackpropService.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Training;

/// <summary>
/// The flush loop of a running job: at most <see cref="TrainingOptions.FlushInterval"/> apart (sooner for a fast job)
/// it writes the buffered epochs (and any pending checkpoint) in one fenced transaction, then sends them as
/// <c>epochs</c> messages, both under the job's <see cref="JobStreamGate"/>. Persist first, then publish: whatever a
/// client saw is in /history.
/// </summary>
public sealed class JobFlusher(
    HistoryWriter writer,
    StorageRetry retry,
    JobStreamGate gate,
    EpochStream stream,
    StreamSharing sharing,
    JobEvents events,
    IDbContextFactory<BackpropDbContext> dbs,
    IOptions<TrainingOptions> options,
    ILogger<JobFlusher> logger)
{
    // About 60 KB of JSON: under the runtime's 85,000-byte large-object threshold. SignalR keeps each serialised
    // group message as one array, and large ones would pile up until a full (trainer-pausing) collection.
    private const int MaxPointsPerMessage = 1_000;

    // A job that filled at least a message since the last flush is fast: flush again after a short pause instead of
    // a whole FlushInterval, so history and stream keep pace with training (on the core it leaves free) rather than
    // trail it by one large backlog that the job's end then has to wait for. The pause is twice the last flush's own
    // time (at least CatchUpDelay), so catching up takes at most about a third of a core from requests. 25 ms, not
    // less: each flush has a fixed cost (a context, a fenced update, a commit); for the fastest job (~2 M epochs/s)
    // 5 ms pauses made the flush loop a quarter of a core, 25 ms a sixth.
    private static readonly TimeSpan CatchUpDelay = TimeSpan.FromMilliseconds(25);

    // The first flush comes sooner (a job's speed is not known yet): a fast job then streams while it trains, and a
    // client sees its first epochs within a few milliseconds.
    private static readonly TimeSpan FirstFlushDelay = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// A resumed job: sends again the stored epochs its previous attempt may have persisted but not streamed, when
    /// that attempt's subscribers can still be listening (on other replicas, through the backplane). They may get
    /// an epoch twice, with the same values; without this they would miss some for good. On a single replica the
    /// previous attempt's subscribers went with its process, and new ones read the stored epochs from /history.
    /// </summary>
    public async Task ResendUnstreamedAsync(JobAttempt attempt, ResumePoint resume)
    {
        if (!sharing.AcrossReplicas || resume.StreamedThrough >= resume.StoredThrough) return;
        await using (await gate.EnterAsync(attempt.JobId))
        {
            await using var db = await dbs.CreateDbContextAsync();
            for (var after = resume.StreamedThrough; after < resume.StoredThrough;)
            {
                var points = await HistoryChunks.ReadAsync(db, attempt.JobId, after, Math.Min(MaxPointsPerMessage, resume.StoredThrough - after), CancellationToken.None);
                if (points.Count == 0) return;
                await PublishAsync(attempt.JobId, new EpochsMessage(attempt.JobId, points));
                after = points[^1].Epoch;
            }
        }
        logger.LogInformation("Job {JobId}: re-sent epochs {From}..{To}, stored by its previous attempt but perhaps not streamed",
            attempt.JobId, resume.StreamedThrough + 1, resume.StoredThrough);
    }

    /// <summary>
    /// Flushes until <paramref name="training"/> ends, then once more; stops early if the lease is lost.
    /// <paramref name="streamedThrough"/>: the last epoch already sent when it starts. <paramref name="stored"/> runs
    /// once the last epochs are stored and before they are sent (with the flushes' verdict so far): the job's end
    /// is decided there, so a slow subscriber delays neither its result nor its <c>finishedAt</c>, only its own
    /// last messages. When it says the status changed, the <c>status</c> message follows the last epochs. Both go
    /// out under the gate: a subscriber that joins meanwhile waits, then gets k = N and the final status.
    /// </summary>
    public async Task<HistoryWriter.FlushResult> RunUntilAsync(JobAttempt attempt, EpochBuffer buffer, Task training, CancellationTokenSource cancel, int streamedThrough, Func<HistoryWriter.FlushResult, Task<bool>> stored)
    {
        var o = options.Value;
        var sinceRenewal = Stopwatch.StartNew();
        var cancelRequested = false;
        var wait = FirstFlushDelay;
        while (true)
        {
            if (!training.IsCompleted)
                await Task.WhenAny(training, Task.Delay(wait));
            var done = training.IsCompleted;

            var renew = sinceRenewal.Elapsed >= o.LeaseDuration / 3;
            var flushStarted = Stopwatch.GetTimestamp();
            var (result, flushed, sentThrough) = await FlushOnceAsync(attempt, buffer, streamedThrough, renew || done,
                done ? owned => stored(new HistoryWriter.FlushResult(true, cancelRequested || owned.CancelRequested)) : null);
            streamedThrough = sentThrough;
            var catchUp = TimeSpan.FromTicks(Math.Max(CatchUpDelay.Ticks, 2 * Stopwatch.GetElapsedTime(flushStarted).Ticks));
            wait = flushed >= MaxPointsPerMessage && catchUp < o.FlushInterval ? catchUp : o.FlushInterval;
            if (result is not null)
            {
                sinceRenewal.Restart();
                if (!result.Owned) return result;
                if (result.CancelRequested && !cancelRequested)
                {
                    cancelRequested = true;
                    try { cancel.Cancel(); } catch (ObjectDisposedException) { }
                }
            }
            if (done) return new HistoryWriter.FlushResult(true, cancelRequested);
        }
    }

    /// <summary>One flush; returns its result (null: nothing to do), its size and the last epoch sent after it.</summary>
    /// <remarks>
    /// The flush records the epochs sent before it, not its own: they are sent after its commit. So an attempt that
    /// dies in between leaves a mark its successor re-sends from (<see cref="ResendUnstreamedAsync"/>).
    /// </remarks>
    private async Task<(HistoryWriter.FlushResult? Result, int Points, int StreamedThrough)> FlushOnceAsync(
        JobAttempt attempt, EpochBuffer buffer, int streamedThrough, bool force, Func<HistoryWriter.FlushResult, Task<bool>>? stored)
    {
        await using (await gate.EnterAsync(attempt.JobId))
        {
            var (checkpoint, points, rewrite) = buffer.Drain();
            if (points.Count == 0 && checkpoint is null && !force) return (null, 0, streamedThrough);
            // NOTE: a failed flush rolls back whole, so retrying it with the same points writes each epoch once.
            var result = await retry.RunAsync("save the training history",
                () => writer.FlushAsync(attempt, points, checkpoint, rewrite, streamedThrough, CancellationToken.None));
            if (!result.Owned) return (result, points.Count, streamedThrough);
            var statusChanged = stored is not null && await stored(result);
            // NOTE: the points' array is reused by the next drain, so every send is awaited before this returns.
            for (var start = 0; start < points.Count; start += MaxPointsPerMessage)
            {
                var slice = points.Slice(start, Math.Min(MaxPointsPerMessage, points.Count - start));
                await PublishAsync(attempt.JobId, new EpochsMessage(attempt.JobId, new EpochPointsView(slice)));
            }
            if (statusChanged) await events.PublishStatusAsync(attempt.JobId);
            return (result, points.Count, points.Count > 0 ? points[^1].Epoch : streamedThrough);
        }
    }

    private async Task PublishAsync(string jobId, EpochsMessage message)
    {
        try
        {
            await stream.SendAsync(jobId, message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The epochs are already in /history; a client that missed them reads them there.
            logger.LogWarning(ex, "Could not stream epochs of job {JobId}", jobId);
        }
    }
}
