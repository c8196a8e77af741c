namespace BackpropService.Api.Training;

/// <summary>When the worker loop last went round; /health reports the worker dead when this is stale.</summary>
public sealed class WorkerHeartbeat(TimeProvider time)
{
    private long _lastBeatTicks;

    public void Beat() => Interlocked.Exchange(ref _lastBeatTicks, time.GetUtcNow().UtcTicks);

    /// <summary>When the loop last went round (each round beats before it claims); null before the first.</summary>
    public DateTimeOffset? LastBeat
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastBeatTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    public TimeSpan? SinceLastBeat => time.GetUtcNow() - LastBeat;
}
