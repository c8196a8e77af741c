using BackpropService.Api.Infrastructure;
using BackpropService.Api.Sweeps;
using BackpropService.Engine;
using Microsoft.AspNetCore.SignalR;

namespace BackpropService.Api.Training;

/// <summary>
/// A running trial's <c>trial</c> messages to its sweep's group: its latest epoch, every <see cref="Interval"/> of
/// the flush loop (which comes round at least every <see cref="TrainingOptions.FlushInterval"/>), whether or not new
/// epochs came: so at least once a second however slow an epoch, and never more than a few times a second however
/// fast. Status changes are sent by <see cref="JobEvents"/>. A lost message is logged: the next one follows.
/// </summary>
public sealed class TrialProgress(IHubContext<TrainingHub, ITrainingClient> hub, string sweepId, string jobId, TimeProvider time, ILogger logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private long _sentAt = time.GetTimestamp();
    private EpochReport? _last;

    /// <summary>Called after each flush with the epochs it stored.</summary>
    public async Task TickAsync(ArraySegment<EpochReport> flushed, int epochsCompleted)
    {
        if (flushed.Count > 0) _last = flushed[^1];
        if (time.GetElapsedTime(_sentAt) < Interval) return;
        _sentAt = time.GetTimestamp();
        var message = new TrialMessage(sweepId, jobId, "running", epochsCompleted,
            _last is { } l ? Finite.OrNull(l.Cost) : null, _last is { } v ? Finite.OrNull(v.ValidationCost) : null);
        try
        {
            await hub.Clients.Group(TrainingHub.SweepGroup(sweepId)).trial(message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not send the progress of trial {JobId} of sweep {SweepId}", jobId, sweepId);
        }
    }
}
