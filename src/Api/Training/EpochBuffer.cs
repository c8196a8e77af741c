using BackpropService.Engine;

namespace BackpropService.Api.Training;

/// <summary>
/// Hand-off from the training thread to the flush loop. The epoch callback only appends here (a lock and a list
/// add), so the trainer never waits on the database or the network.
/// </summary>
public sealed class EpochBuffer
{
    private readonly Lock _lock = new();
    private List<EpochReport> _points = new(1024);
    private PendingCheckpoint? _checkpoint;
    private bool _rewrite;

    public void Add(EpochReport report)
    {
        lock (_lock) _points.Add(report);
    }

    /// <summary>
    /// Called on the training thread before adding an epoch that is already stored with a different cost (a resume
    /// that did not replay bit for bit): the next drained points replace the stored history from their first epoch.
    /// </summary>
    public void MarkRewrite()
    {
        lock (_lock) _rewrite = true;
    }

    /// <summary>Called on the training thread right after the epoch it belongs to was added.</summary>
    public void SetCheckpoint(PendingCheckpoint checkpoint) => Volatile.Write(ref _checkpoint, checkpoint);

    /// <summary>
    /// Takes the pending checkpoint, then the points. NOTE: in this order, the points taken always include the
    /// checkpoint's epoch, so a stored checkpoint never runs ahead of the stored history.
    /// </summary>
    public (PendingCheckpoint? Checkpoint, List<EpochReport> Points, bool Rewrite) Drain()
    {
        var checkpoint = Interlocked.Exchange(ref _checkpoint, null);
        List<EpochReport> points;
        bool rewrite;
        lock (_lock)
        {
            points = _points;
            _points = new List<EpochReport>(Math.Max(1024, points.Count));
            rewrite = _rewrite && points.Count > 0;
            if (rewrite) _rewrite = false;
        }
        return (checkpoint, points, rewrite);
    }
}
