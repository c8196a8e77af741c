namespace BackpropService.Engine;

/// <summary>
/// How many cores one large matrix product may use. The engine splits a product's output tiles over at most
/// <see cref="MaxDegreeOfParallelism"/> threads (the calling thread plus pool workers); each output element is summed
/// by one thread in a fixed order, so results are bit-identical whatever this is set to.
/// Concurrent training jobs share the cores: while n sessions run, each may use at most processors / n threads (so two
/// jobs on two cores run one thread each), and only one product runs split at a time (a product that finds the workers
/// busy runs on its own thread), so intra-op threads never oversubscribe the cores the jobs already use.
/// </summary>
public static class EngineThreading
{
    private static int _maxDegree = Environment.ProcessorCount;

    /// <summary>Upper bound on threads per product (default: the processor count; 1 = no intra-op threading).</summary>
    public static int MaxDegreeOfParallelism
    {
        get => _maxDegree;
        set => _maxDegree = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Must be at least 1.");
    }

    private static int _activeSessions;

    /// <summary>Threads one product may use now: the limit, the processor count, and a fair share among running sessions.</summary>
    internal static int EffectiveDegree =>
        Math.Max(1, Math.Min(_maxDegree, Environment.ProcessorCount / Math.Max(1, Volatile.Read(ref _activeSessions))));

    /// <summary>Marks a training session as running until the returned scope is disposed.</summary>
    internal static SessionScope EnterSession()
    {
        Interlocked.Increment(ref _activeSessions);
        return default;
    }

    internal readonly struct SessionScope : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref _activeSessions);
    }
}
