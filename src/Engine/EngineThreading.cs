namespace BackpropService.Engine;

/// <summary>
/// How many cores one large matrix product may use. The engine splits a product's output tiles over at most
/// <see cref="MaxDegreeOfParallelism"/> threads (the calling thread plus pool workers); each output element is summed
/// by one thread in a fixed order, so results are bit-identical whatever this is set to.
/// Only one product runs split at a time: while another training job's product holds the workers, a product runs on
/// its own thread alone, so concurrent jobs never oversubscribe the cores. A service running as many concurrent jobs
/// as it has cores should set this to 1.
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

    internal static int EffectiveDegree => Math.Min(_maxDegree, Environment.ProcessorCount);
}
