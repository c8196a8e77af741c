using System.Diagnostics;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Training;

/// <summary>
/// Sends an <c>epochs</c> message to a job's group with a deadline (<see cref="TrainingOptions.StreamSendTimeout"/>).
/// NOTE: SignalR aborts a connection whose write is cancelled, so a subscriber that does not read (stuck, or too
/// slow for its buffers) is dropped at the deadline instead of holding up the flush loop and every other
/// subscriber of the job. Its epochs are already in /history, where a reconnecting client reads them.
/// </summary>
public sealed class EpochStream(IHubContext<TrainingHub> hub, IOptions<TrainingOptions> options, ILogger<EpochStream> logger)
{
    public async Task SendAsync(string jobId, EpochsMessage message)
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
        if (Stopwatch.GetElapsedTime(started) >= timeout)
            logger.LogWarning("A subscriber of job {JobId} did not take its epochs within {Timeout}; its connection was dropped (the epochs are in /history)", jobId, timeout);
    }
}
