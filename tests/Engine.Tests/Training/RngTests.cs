using BackpropService.Engine.Training;

namespace BackpropService.Engine.Tests.Training;

public class RngTests
{
    [Fact]
    public void FirstDrawsAreXoshiro256StarStarSeededThroughSplitMix64()
    {
        // Reference values from an independent Python implementation of SplitMix64 + xoshiro256**.
        var rng = new Rng(42);
        Assert.Equal([0x15780b2e0c2ec716UL, 0x6104d9866d113a7eUL, 0xae17533239e499a1UL],
            [rng.NextUInt64(), rng.NextUInt64(), rng.NextUInt64()]);
        var zero = new Rng(0);
        Assert.Equal(0x99ec5f36cb75f2b4UL, zero.NextUInt64());
    }

    [Fact]
    public void RestoringASavedStateRepeatsTheSameDraws()
    {
        var rng = new Rng(7);
        rng.NextDouble();
        var state = rng.SaveState();
        var expected = Enumerable.Range(0, 5).Select(_ => rng.NextUInt64()).ToArray();
        var other = new Rng(123);
        other.RestoreState(state);
        Assert.Equal(expected, Enumerable.Range(0, 5).Select(_ => other.NextUInt64()).ToArray());
    }

    [Fact]
    public void DoublesLieInTheUnitIntervalAndIntegersBelowTheirBound()
    {
        var rng = new Rng(3);
        var doubles = Enumerable.Range(0, 10_000).Select(_ => rng.NextDouble()).ToArray();
        Assert.All(doubles, d => Assert.InRange(d, 0.0, Math.BitDecrement(1.0)));
        Assert.InRange(doubles.Average(), 0.48, 0.52);
        var counts = new int[7];
        for (var i = 0; i < 7_000; i++) counts[rng.NextInt(7)]++;
        Assert.All(counts, c => Assert.InRange(c, 850, 1150));
    }

    [Fact]
    public void ShuffleIsASeededPermutation()
    {
        var (a, b) = (Enumerable.Range(0, 50).ToArray(), Enumerable.Range(0, 50).ToArray());
        new Rng(9).Shuffle(a);
        new Rng(9).Shuffle(b);
        Assert.Equal(a, b);
        Assert.NotEqual(Enumerable.Range(0, 50), a);
        Assert.Equal(Enumerable.Range(0, 50), a.Order());
    }
}
