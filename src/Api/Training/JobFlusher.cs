using System.Diagnostics;
using BackpropService.Api.Reliability;
using BackpropService.Engine;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Training;

/// <summary>
/// The flush loop of a running job: at most <see cref="TrainingOptions.FlushInterval"/> apart (sooner for a fast job)
/// it writes the buffered epochs (and any pending checkpoint) in one fenced transaction, then sends them as
/// <c>epochs</c> messages, both under the job's <see cref="JobStreamGate"/>. Persist first, then publish: whatever a
/// client saw is in /history.
/// </summary>
public sealed class JobFlusher(HistoryWriter writer, StorageRetry retry, JobStreamGate gate, EpochStream stream, IOptions<TrainingOptions> options, ILogger<JobFlusher> logger)
{
    // About 60 KB of JSON: under the runtime's 85,000-byte large-object threshold. SignalR keeps each serialised
    // group message as one array, and large ones would pile up until a full (trainer-pausing) collection.
    private const int MaxPointsPerMessage = 1_000;

    // A job that filled at least a message since the last flush is fast: flush again after a short pause instead of
    // a whole FlushInterval, so history and stream keep pace with training (on the core it leaves free) rather than
    // trail it by one large backlog that the job's end then has to wait for. The pause is twice the last flush's own
    // time (at least CatchUpDelay), so catching up takes at most about a third of a core from requests.
    private static readonly TimeSpan CatchUpDelay = TimeSpan.FromMilliseconds(5);

    /// <summary>Flushes until <paramref name="training"/> ends, then once more; stops early if the lease is lost.</summary>
    public async Task<HistoryWriter.FlushResult> RunUntilAsync(JobAttempt attempt, EpochBuffer buffer, Task training, CancellationTokenSource cancel)
    {
        var o = options.Value;
        var sinceRenewal = Stopwatch.StartNew();
        var cancelRequested = false;
        // The first flush comes soon (a job's speed is not known yet): a fast job then streams while it trains.
        var wait = CatchUpDelay;
        while (true)
        {
            if (!training.IsCompleted)
                await Task.WhenAny(training, Task.Delay(wait));
            var done = training.IsCompleted;

            var renew = sinceRenewal.Elapsed >= o.LeaseDuration / 3;
            var flushStarted = Stopwatch.GetTimestamp();
            var (result, flushed) = await FlushOnceAsync(attempt, buffer, renew || done);
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

    private async Task<(HistoryWriter.FlushResult? Result, int Points)> FlushOnceAsync(JobAttempt attempt, EpochBuffer buffer, bool force)
    {
        await using (await gate.EnterAsync(attempt.JobId))
        {
            var (checkpoint, points, rewrite) = buffer.Drain();
            if (points.Count == 0 && checkpoint is null && !force) return (null, 0);
            // NOTE: a failed flush rolls back whole, so retrying it with the same points writes each epoch once.
            var result = await retry.RunAsync("save the training history",
                () => writer.FlushAsync(attempt, points, checkpoint, rewrite, CancellationToken.None));
            if (result.Owned && points.Count > 0)
                await PublishAsync(attempt.JobId, points);
            return (result, points.Count);
        }
    }

    // NOTE: the points' array is reused by the next drain, so every send is awaited before this returns.
    private async Task PublishAsync(string jobId, ArraySegment<EpochReport> points)
    {
        try
        {
            for (var start = 0; start < points.Count; start += MaxPointsPerMessage)
            {
                var slice = points.Slice(start, Math.Min(MaxPointsPerMessage, points.Count - start));
                await stream.SendAsync(jobId, new EpochsMessage(jobId, new EpochPointsView(slice)));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The epochs are already in /history; a client that missed them reads them there.
            logger.LogWarning(ex, "Could not stream epochs of job {JobId}", jobId);
        }
    }
}
