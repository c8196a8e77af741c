using System.Diagnostics;
using BackpropService.Engine;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Training;

/// <summary>
/// The stream half of a flush: sends epochs to a job's group as <c>epochs</c> messages of at most
/// <see cref="MaxPointsPerMessage"/> points, each with a deadline (<see cref="TrainingOptions.StreamSendTimeout"/>).
/// Live flushes and re-sends go through here alike. A send that fails is logged: the epochs are in /history already.
/// </summary>
/// <remarks>
/// NOTE: SignalR aborts a connection whose write is cancelled, so a subscriber that does not read (stuck, or too
/// slow for its buffers) is dropped at the deadline instead of holding up the flush loop and every other
/// subscriber of the job. Its epochs are already in /history, where a reconnecting client reads them.
/// </remarks>
public sealed class EpochStream(IHubContext<TrainingHub> hub, IOptions<TrainingOptions> options, ILogger<EpochStream> logger)
{
    /// <summary>
    /// About 60 KB of JSON: under the runtime's 85,000-byte large-object threshold. SignalR keeps each serialised group
    /// message as one array, and large ones would pile up until a full (trainer-pausing) collection.
    /// </summary>
    public const int MaxPointsPerMessage = 1_000;

    /// <summary>Sends <paramref name="points"/> in order. NOTE: every send is awaited, so the caller may reuse their array after.</summary>
    public async Task SendAsync(string jobId, ArraySegment<EpochReport> points)
    {
        for (var start = 0; start < points.Count; start += MaxPointsPerMessage)
        {
            var slice = points.Slice(start, Math.Min(MaxPointsPerMessage, points.Count - start));
            await SendMessageAsync(jobId, new EpochsMessage(jobId, new EpochPointsView(slice)));
        }
    }

    private async Task SendMessageAsync(string jobId, EpochsMessage message)
    {
        var timeout = options.Value.StreamSendTimeout;
        using var deadline = new CancellationTokenSource(timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await hub.Clients.Group(TrainingHub.Group(jobId)).SendAsync("epochs", message, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            // Raised only by some lifetime managers; the default one aborts the slow connection and returns.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The epochs are already in /history; a client that missed them reads them there.
            logger.LogWarning(ex, "Could not stream epochs of job {JobId}", jobId);
            return;
        }
        if (Stopwatch.GetElapsedTime(started) >= timeout)
            logger.LogWarning("A subscriber of job {JobId} did not take its epochs within {Timeout}; its connection was dropped (the epochs are in /history)", jobId, timeout);
    }
}
