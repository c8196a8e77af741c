namespace BackpropService.Api.Training;

/// <summary>
/// When the next flush of a running job comes, and how many epochs one flush takes at most. At most
/// <see cref="TrainingOptions.FlushInterval"/> apart; a job that filled at least a message since the last flush is
/// fast and flushes again after a short pause (twice the last flush's own time, at least <see cref="CatchUpDelay"/>),
/// so history and stream keep pace with training, on the core it leaves free, rather than trail it by one large
/// backlog that the job's end would then wait for. Why these values: docs/performance.md (the flush loop).
/// </summary>
public static class FlushPacing
{
    /// <summary>The first flush comes sooner (a job's speed is not known yet): a client sees a fast job's first epochs at once.</summary>
    public static readonly TimeSpan FirstFlushDelay = TimeSpan.FromMilliseconds(5);

    /// <summary>The shortest pause between flushes: each flush has a fixed cost (a context, a fenced update, a commit).</summary>
    public static readonly TimeSpan CatchUpDelay = TimeSpan.FromMilliseconds(25);

    /// <summary>
    /// The most epochs one flush of a running job takes (8 history chunks, 66 messages); a larger backlog is taken by
    /// the next flushes. It bounds what a successor may have to re-send (<see cref="Persistence.Entities.TrainingJob.StreamedThrough"/>
    /// lags by at most one flush). The job's last flush takes everything left, so its end never waits for the stream.
    /// </summary>
    public const int MaxEpochsPerFlush = 65_536;

    /// <summary>The pause before the next flush, given the last one's size and duration.</summary>
    public static TimeSpan Next(int flushed, TimeSpan took, TimeSpan flushInterval)
    {
        var catchUp = TimeSpan.FromTicks(Math.Max(CatchUpDelay.Ticks, 2 * took.Ticks));
        return flushed >= EpochStream.MaxPointsPerMessage && catchUp < flushInterval ? catchUp : flushInterval;
    }

    /// <summary>
    /// How long to wait for the job's end instead of flushing now, or null to flush now. A job that, at its pace so
    /// far, will have trained its last epoch before a flush interval has passed since its last flush (or its start)
    /// has its epochs stored and streamed with its end: one commit instead of two, and no checkpoint written only to
    /// be deleted. Should it be slower than its pace said, the next wake-up flushes, still within the interval.
    /// </summary>
    /// <param name="trained">Epochs this attempt trained so far.</param>
    /// <param name="remaining">Epochs it has left to train.</param>
    /// <param name="training">How long it has trained.</param>
    /// <param name="sinceFlush">Time since its last flush, or since it started.</param>
    /// <param name="flushInterval"><see cref="TrainingOptions.FlushInterval"/>: how long epochs may wait to be streamed.</param>
    public static TimeSpan? WaitForEnd(int trained, int remaining, TimeSpan training, TimeSpan sinceFlush, TimeSpan flushInterval)
    {
        if (trained <= 0 || remaining < 0) return null;
        // A margin for the thread's last steps and the end's own wake-up.
        var wait = training * (1.5 * remaining / trained) + TimeSpan.FromMilliseconds(1);
        return sinceFlush + wait <= flushInterval ? wait : null;
    }
}
