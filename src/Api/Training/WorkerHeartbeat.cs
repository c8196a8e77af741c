namespace BackpropService.Api.Training;

/// <summary>When the worker loop last went round; /health reports the worker dead when this is stale.</summary>
public sealed class WorkerHeartbeat(TimeProvider time)
{
    private long _lastBeatTicks;

    public void Beat() => Interlocked.Exchange(ref _lastBeatTicks, time.GetUtcNow().UtcTicks);

    public TimeSpan? SinceLastBeat
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastBeatTicks);
            return ticks == 0 ? null : time.GetUtcNow() - new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }
}
