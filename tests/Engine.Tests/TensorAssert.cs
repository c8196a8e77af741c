using Xunit.Sdk;

namespace BackpropService.Engine.Tests;

/// <summary>Elementwise comparisons that name the first differing element.</summary>
internal static class TensorAssert
{
    public static void Close(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double tolerance = 1e-12)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
            if (!(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1.0, Math.Abs(expected[i]))))
                throw new XunitException($"Element {i}: expected {expected[i]:R}, got {actual[i]:R} (tolerance {tolerance}).");
    }

    public static void Close(int[] dimensions, IReadOnlyList<double> expected, TensorData actual, double tolerance = 1e-12)
    {
        Assert.Equal(dimensions, actual.Dimensions);
        Close(expected, actual.Values, tolerance);
    }

    /// <summary>Bit-for-bit equality (so −0 ≠ +0 and NaN payloads count), for determinism tests.</summary>
    public static void BitwiseEqual(IReadOnlyList<double> expected, IReadOnlyList<double> actual, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
            if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(actual[i]))
                throw new XunitException($"{what}[{i}]: {expected[i]:R} and {actual[i]:R} differ in their bits.");
    }
}
