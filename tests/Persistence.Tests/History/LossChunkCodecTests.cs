using BackpropService.Persistence.History;

namespace BackpropService.Persistence.Tests.History;

/// <summary>
/// The column layouts: which one a column's values get, that every layout reads back bit for bit (NaN for a
/// non-finite value), reads of part of a column, a trimmed column re-encoded, and columns stored before the layouts.
/// </summary>
public sealed class LossChunkCodecTests
{
    private const int Chunk = LossChunkCodec.MaxEpochsPerChunk;

    /// <summary>A full-batch XOR run's costs: a float32 loss widened to double, a different one every epoch.</summary>
    private static double[] FullBatchCosts(int count) =>
        Enumerable.Range(0, count).Select(i => (double)(float)(0.7 * Math.Exp(-i / 1000.0) + 0.001)).ToArray();

    /// <summary>An XOR run's accuracies (k/4): a few epochs of guessing, then 1.0 to the end.</summary>
    private static double[] ConvergedAccuracies(int count) =>
        Enumerable.Range(0, count).Select(i => i < 40 ? (i % 3 + 1) / 4.0 : 1.0).ToArray();

    /// <summary>Costs that are no float32 (a float64 engine's, or a mini-batch mean) and change every epoch.</summary>
    private static double[] Float64Costs(int count) => Enumerable.Range(0, count).Select(i => 1.0 / (i + 3)).ToArray();

    private static double[] Decoded(byte[] bytes, int count)
    {
        var values = new double[count];
        LossChunkCodec.Decode(bytes, count, 0, values);
        return values;
    }

    private static void AssertSameBits(IEnumerable<double> expected, IEnumerable<double> actual) =>
        Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), actual.Select(BitConverter.DoubleToInt64Bits));

    private static double[] AsStored(double[] values) => values.Select(v => double.IsFinite(v) ? v : double.NaN).ToArray();

    [Fact]
    public void FullBatchCostsAreStoredAsSinglesHalfTheBytesOfDoubles()
    {
        var costs = FullBatchCosts(Chunk);
        var bytes = LossChunkCodec.Encode(costs);

        Assert.Equal(1, bytes[0]);
        Assert.Equal(1 + 4 * Chunk, bytes.Length); // 32,769 bytes instead of 65,536
        AssertSameBits(costs, Decoded(bytes, Chunk));
    }

    [Fact]
    public void AConvergedAccuracyIsStoredAsRuns()
    {
        var accuracies = ConvergedAccuracies(Chunk);
        var bytes = LossChunkCodec.Encode(accuracies);

        Assert.Equal(2, bytes[0]);
        Assert.Equal(1 + 12 * 41, bytes.Length); // 40 runs of one epoch, then 1.0 for the rest
        AssertSameBits(accuracies, Decoded(bytes, Chunk));
    }

    [Fact]
    public void ValuesThatAreNoSinglesAndVaryAreStoredAsUntaggedDoublesAsBefore()
    {
        var costs = Float64Costs(Chunk);
        var bytes = LossChunkCodec.Encode(costs);

        Assert.Equal(LegacyColumn.Of(costs), bytes);
        AssertSameBits(costs, Decoded(bytes, Chunk));
    }

    [Fact]
    public void AnAccuracyOfThirdsThatConvergedIsRunsOfDoubles()
    {
        double[] accuracies = [.. Enumerable.Repeat(1.0 / 3, 5), .. Enumerable.Repeat(2.0 / 3, 5), .. Enumerable.Repeat(1.0, 90)];
        var bytes = LossChunkCodec.Encode(accuracies);

        Assert.Equal(2, bytes[0]);
        Assert.Equal(1 + 12 * 3, bytes.Length);
        AssertSameBits(accuracies, Decoded(bytes, accuracies.Length));
    }

    public static TheoryData<double[], int> NonFiniteValues => new()
    {
        { [1.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 0.5], 1 + 4 * 5 },
        { [0.1, double.PositiveInfinity, 0.3, double.NaN], 8 * 4 },
        { [.. Enumerable.Repeat(double.PositiveInfinity, 50), .. Enumerable.Repeat(double.NaN, 50)], 1 + 12 },
    };

    [Theory]
    [MemberData(nameof(NonFiniteValues))]
    public void ANonFiniteValueReadsAsNaNInEveryLayout(double[] values, int length)
    {
        var bytes = LossChunkCodec.Encode(values);

        Assert.Equal(length, bytes.Length);
        AssertSameBits(AsStored(values), Decoded(bytes, values.Length));
    }

    [Fact]
    public void ZeroAndNegativeZeroStayApart()
    {
        double[] values = [0.0, -0.0, -0.0, 0.0];
        AssertSameBits(values, Decoded(LossChunkCodec.Encode(values), values.Length));
        double[] repeated = [.. Enumerable.Repeat(0.1, 50), -0.0, .. Enumerable.Repeat(0.0, 50)];
        var runs = LossChunkCodec.Encode(repeated);
        Assert.Equal(1 + 12 * 3, runs.Length);
        AssertSameBits(repeated, Decoded(runs, repeated.Length));
    }

    [Fact]
    public void AnEmptyColumnIsNoBytesAndOneValueIsItsSmallestLayout()
    {
        Assert.Empty(LossChunkCodec.Encode([]));
        LossChunkCodec.Decode([], 0, 0, []);

        var single = LossChunkCodec.Encode([0.5]);
        Assert.Equal(1 + 4, single.Length);
        Assert.Equal([0.5], Decoded(single, 1));
        var one = LossChunkCodec.Encode([0.1]);
        Assert.Equal(LegacyColumn.Of(0.1), one);
        Assert.Equal([0.1], Decoded(one, 1));
    }

    [Fact]
    public void NoTaggedLayoutHasTheLengthOfDoubles()
    {
        foreach (var count in new[] { 1, 2, 3, 7, 8, 12, 100, Chunk })
            foreach (var values in new[] { FullBatchCosts(count), ConvergedAccuracies(count), Enumerable.Repeat(0.1, count).ToArray() })
            {
                var bytes = LossChunkCodec.Encode(values);
                Assert.True(bytes.Length == 8 * count ? bytes.SequenceEqual(LegacyColumn.Of(values)) : bytes.Length % 2 == 1, $"{count} values, {bytes.Length} bytes");
                AssertSameBits(values, Decoded(bytes, count));
            }
    }

    /// <summary>
    /// Lengths around the classifying pass's four-value vectors, with a value that breaks the float32 layout or a run
    /// (a non-single, −0, an infinity beside a NaN) placed in every lane and in the tail.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(33)]
    [InlineData(512)]
    public void EveryPositionOfAValueDecidesTheLayoutTheSameWay(int count)
    {
        foreach (var odd in new[] { 0.1, -0.0, double.PositiveInfinity })
            for (var at = 0; at < count; at++)
            {
                var values = Enumerable.Repeat(double.NaN, count).ToArray();
                values[at] = odd;
                var bytes = LossChunkCodec.Encode(values);
                var runs = (at > 0 ? 1 : 0) + (double.IsFinite(odd) ? 1 + (at < count - 1 ? 1 : 0) : 0);
                var expected = Math.Min(1 + 12 * Math.Max(runs, 1), odd == 0.1 ? 8 * count : 1 + 4 * count);
                Assert.True(expected == bytes.Length, $"{odd} at {at} of {count}: {bytes.Length} bytes, expected {expected}");
                AssertSameBits(AsStored(values), Decoded(bytes, count));
            }
    }

    [Fact]
    public void APartOfAColumnReadsAsThatPartOfTheWholeInEveryLayout()
    {
        const int count = 300;
        foreach (var values in new[] { FullBatchCosts(count), ConvergedAccuracies(count), Float64Costs(count) })
        {
            var bytes = LossChunkCodec.Encode(values);
            foreach (var (from, length) in new[] { (0, 1), (0, count), (38, 5), (39, 2), (41, 0), (299, 1), (100, 150) })
            {
                var part = new double[length];
                LossChunkCodec.Decode(bytes, count, from, part);
                AssertSameBits(values.AsSpan(from, length).ToArray(), part);
            }
        }
    }

    [Fact]
    public void ATrimmedColumnIsItsPrefixInItsOwnSmallestLayout()
    {
        double[] values = [0.5, 0.25, 0.1, 0.2];
        var doubles = LossChunkCodec.Encode(values);
        Assert.Equal(8 * 4, doubles.Length);

        var trimmed = LossChunkCodec.Take(doubles, 4, 2);
        Assert.Equal(1 + 4 * 2, trimmed.Length);
        Assert.Equal([0.5, 0.25], Decoded(trimmed, 2));

        var accuracies = ConvergedAccuracies(Chunk);
        AssertSameBits(accuracies[..1000], Decoded(LossChunkCodec.Take(LossChunkCodec.Encode(accuracies), Chunk, 1000), 1000));
        AssertSameBits(values[..3], Decoded(LossChunkCodec.Take(LegacyColumn.Of(values), 4, 3), 3));
    }

    [Fact]
    public void AColumnStoredBeforeTheLayoutsReadsAsItsDoublesWithNaNForNonFinite()
    {
        double[] values = [0.5, 1.0 / 3, double.NaN, double.PositiveInfinity, 1.0];
        AssertSameBits(AsStored(values), Decoded(LegacyColumn.Of(values), values.Length));
    }

    [Fact]
    public void BytesThatAreNoneOfTheLayoutsOfTheCountAreRejected()
    {
        var singles = LossChunkCodec.Encode([0.5, 0.25]);
        var runs = LossChunkCodec.Encode(ConvergedAccuracies(100));
        var values = new double[1];

        Assert.Throws<InvalidDataException>(() => LossChunkCodec.Decode(singles, 3, 0, values));
        Assert.Throws<InvalidDataException>(() => LossChunkCodec.Decode(runs, 99, 0, values));
        Assert.Throws<InvalidDataException>(() => LossChunkCodec.Decode([3, 0, 0, 0, 0], 1, 0, values));
        Assert.Throws<InvalidDataException>(() => LossChunkCodec.Decode([], 1, 0, values));
    }
}
