using BackpropService.Client.Models;

namespace BackpropService.Client.Watching;

/// <summary>What the hub connection tells the watch loop, in the order it happened.</summary>
internal abstract record WatchEvent
{
    /// <summary>Connected (first or again): subscribe and read what was missed from /history.</summary>
    public sealed record Subscribe : WatchEvent;

    public sealed record Epochs(IReadOnlyList<EpochPoint> Points) : WatchEvent;

    public sealed record Status(Job Job) : WatchEvent;

    /// <summary>A sweep's <c>trial</c> or <c>sweep</c> message.</summary>
    public sealed record OfSweep(SweepUpdate Update) : WatchEvent;

    /// <summary>The connection is gone for good (reconnecting gave up).</summary>
    public sealed record Closed(Exception? Error) : WatchEvent;
}

internal sealed record EpochsMessage(string JobId, IReadOnlyList<EpochPoint> Points);
