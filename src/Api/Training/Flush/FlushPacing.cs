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
}
