namespace BackpropService.Api.Sweeps;

/// <summary>
/// Steele, Lea and Flood's SplitMix64 (2014): a tiny seeded generator written out here, not System.Random, so a
/// sweep's draws stay the same across runtime versions (the contract: the same request gives the same trials).
/// </summary>
public sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));
}
