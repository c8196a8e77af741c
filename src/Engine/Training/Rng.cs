using System.Numerics;

namespace BackpropService.Engine.Training;

/// <summary>
/// xoshiro256** seeded through SplitMix64. Hand-written rather than System.Random because a checkpoint must
/// capture the generator's exact position (four words) so a resumed job draws the same numbers.
/// </summary>
internal sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;

    public Rng(ulong seed)
    {
        var x = seed;
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
    }

    public ulong NextUInt64()
    {
        var result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, bound), unbiased (Lemire's method).</summary>
    public int NextInt(int bound)
    {
        var threshold = (ulong)(-(long)bound) % (ulong)bound;
        while (true)
        {
            var product = Math.BigMul(NextUInt64(), (ulong)bound, out var low);
            if (low >= threshold) return (int)product;
        }
    }

    public void Shuffle(int[] items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    public ulong[] SaveState() => [_s0, _s1, _s2, _s3];

    public void RestoreState(ReadOnlySpan<ulong> state) => (_s0, _s1, _s2, _s3) = (state[0], state[1], state[2], state[3]);

    private static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
