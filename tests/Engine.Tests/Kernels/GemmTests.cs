using BackpropService.Engine.Kernels;

namespace BackpropService.Engine.Tests.Kernels;

/// <summary>The packed GEMM against a naive float64 product: every path (direct, blocked, edge tiles, each transpose),
/// and the parallel split against the serial run, bit for bit.</summary>
public class GemmTests
{
    private static readonly int[] Edges = [0, 1, 7, 8, 9, 33];

    public static TheoryData<int, int, int> EdgeShapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (var m in Edges) foreach (var n in Edges) foreach (var k in Edges) data.Add(m, n, k);
        return data;
    }

    public static TheoryData<int, int, int> BlockedShapes() => new()
    {
        { 512, 33, 9 }, { 9, 512, 33 }, { 33, 9, 512 }, { 512, 512, 7 }, { 64, 64, 64 }, { 97, 65, 300 },
        { 100, 300, 257 }, { 193, 47, 513 }, { 8, 2100, 17 }, { 31, 33, 1000 }, { 256, 10, 1024 }, { 17, 129, 255 },
        // B read in place (rows of at most 256 floats, whole tiles): mnist's layer and its weight gradient.
        { 64, 128, 784 }, { 784, 128, 64 }, { 130, 96, 600 }, { 33, 256, 40 },
    };

    [Theory]
    [MemberData(nameof(EdgeShapes))]
    public void Small_and_edge_shapes_match_the_naive_product(int m, int n, int k) => CheckAllVariants(m, n, k);

    [Theory]
    [MemberData(nameof(BlockedShapes))]
    public void Blocked_shapes_match_the_naive_product(int m, int n, int k) => CheckAllVariants(m, n, k);

    [Theory]
    [InlineData(300, 400, 150)]   // splits columns
    [InlineData(1000, 40, 100)]   // splits rows (few columns)
    [InlineData(130, 2100, 60)]   // more than one NC block
    [InlineData(257, 513, 300)]   // ragged tiles at every edge
    [InlineData(200, 256, 300)]   // column halves read B in place
    public void Parallel_split_is_bit_identical_to_serial(int m, int n, int k)
    {
        foreach (var (ta, tb) in new[] { (false, false), (false, true), (true, false), (true, true) })
        {
            var (a, b, c0) = Operands(m, n, k, seed: m + n + k);
            var serial = (float[])c0.Clone();
            var parallel = (float[])c0.Clone();
            Gemm.Multiply(ta, tb, m, n, k, a, b, serial, accumulate: true, degree: 1);
            Gemm.Multiply(ta, tb, m, n, k, a, b, parallel, accumulate: true, degree: 2);
            Assert.Equal(serial, parallel);
            Gemm.Multiply(ta, tb, m, n, k, a, b, parallel, accumulate: false, degree: 4);
            Gemm.Multiply(ta, tb, m, n, k, a, b, serial, accumulate: false, degree: 1);
            Assert.Equal(serial, parallel);
        }
    }

    [Theory]
    [InlineData(64, 10, 128)]    // an mnist-like output layer, forward
    [InlineData(128, 10, 64)]    // its weight gradient
    [InlineData(200, 16, 700)]   // exactly one narrow tile wide, more than one KC block
    [InlineData(33, 1, 900)]     // a single column
    public void Narrow_products_match_the_naive_product_and_the_same_columns_of_a_wide_one(int m, int n, int k)
    {
        CheckAllVariants(m, n, k);
        // Columns 0..n−1 of A·[B | extra columns] run the 32-wide kernel; A·B alone runs the narrow one. Each element is
        // the same sum in the same order, so the bits agree.
        const int wide = 48;
        foreach (var accumulate in new[] { false, true })
        {
            var (a, b, c) = Operands(m, n, k, seed: m + n + k);
            var (_, extra, cWide) = Operands(m, wide, k, seed: 1);
            for (var p = 0; p < k; p++) Array.Copy(b, p * n, extra, p * wide, n);
            for (var i = 0; i < m; i++) Array.Copy(c, i * n, cWide, i * wide, n);
            Gemm.Multiply(false, false, m, n, k, a, b, c, accumulate, degree: 1);
            Gemm.Multiply(false, false, m, wide, k, a, extra, cWide, accumulate, degree: 1);
            for (var i = 0; i < m; i++)
                Assert.Equal(cWide.AsSpan(i * wide, n).ToArray(), c.AsSpan(i * n, n).ToArray());
        }
    }

    [Fact]
    public void Repeated_runs_give_the_same_bits()
    {
        var (a, b, _) = Operands(200, 300, 400, seed: 3);
        var first = new float[200 * 300];
        var second = new float[200 * 300];
        Gemm.Multiply(false, true, 200, 300, 400, a, b, first, accumulate: false);
        Gemm.Multiply(false, true, 200, 300, 400, a, b, second, accumulate: false);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Too_small_buffers_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 2, 2, new float[3], new float[4], new float[4], false));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 2, 2, new float[4], new float[4], new float[3], false));
    }

    [Theory]
    [InlineData(0)] [InlineData(1)] [InlineData(7)] [InlineData(8)] [InlineData(9)] [InlineData(33)] [InlineData(512)]
    public void Direct_axpy_and_dot_cover_every_vector_width(int length)
    {
        // 1 × length × 1 is a row axpy; 1 × 1 × length with op(B) = Bᵀ is a dot product: both take the direct path.
        CheckAllVariants(1, length, 1);
        CheckAllVariants(1, 1, length);
        CheckAllVariants(2, length, 3);
    }

    [Fact]
    public void MatMul_routes_every_product_of_the_op_through_the_same_arithmetic()
    {
        // Forward and both backward products of MatMulOp (float32 → Gemm) against float64 (row operations).
        const int m = 37, k = 70, n = 45;
        var (a, b, _) = Operands(m, n, k, seed: 11);
        var dy = Operands(m, 1, n, seed: 12).A; // [m, n]
        var y = new float[m * n];
        var da = new float[m * k];
        var db = new float[k * n];
        MatMul.Multiply<float>(a, b, y, m, k, n);
        MatMul.MultiplyTransposedBAccumulate<float>(dy, b, da, m, n, k);
        MatMul.MultiplyTransposedAAccumulate<float>(a, dy, db, m, k, n);
        var (ad, bd, dyd) = (ToDouble(a), ToDouble(b), ToDouble(dy));
        var yd = new double[m * n];
        var dad = new double[m * k];
        var dbd = new double[k * n];
        MatMul.Multiply<double>(ad, bd, yd, m, k, n);
        MatMul.MultiplyTransposedBAccumulate<double>(dyd, bd, dad, m, n, k);
        MatMul.MultiplyTransposedAAccumulate<double>(ad, dyd, dbd, m, k, n);
        AssertClose(yd, y, k);
        AssertClose(dad, da, n);
        AssertClose(dbd, db, m);
    }

    private static void CheckAllVariants(int m, int n, int k)
    {
        foreach (var (ta, tb) in new[] { (false, false), (false, true), (true, false), (true, true) })
        foreach (var accumulate in new[] { false, true })
        {
            var (a, b, c) = Operands(m, n, k, seed: 31 * m + 7 * n + k);
            var expected = Naive(ta, tb, m, n, k, a, b, c, accumulate);
            Gemm.Multiply(ta, tb, m, n, k, a, b, c, accumulate);
            AssertClose(expected, c, k);
        }
    }

    /// <summary>op(A) is m×k, stored [m, k] or (transposed) [k, m]; likewise op(B) k×n stored [k, n] or [n, k].</summary>
    private static double[] Naive(bool ta, bool tb, int m, int n, int k, float[] a, float[] b, float[] c, bool accumulate)
    {
        var result = new double[m * n];
        for (var i = 0; i < m; i++)
        for (var j = 0; j < n; j++)
        {
            var sum = accumulate ? c[i * n + j] : 0.0;
            for (var p = 0; p < k; p++)
                sum += (double)(ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
            result[i * n + j] = sum;
        }
        return result;
    }

    private static (float[] A, float[] B, float[] C) Operands(int m, int n, int k, int seed)
    {
        var random = new Random(seed);
        float Next() => (float)(random.NextDouble() * 2 - 1);
        return (Enumerable.Range(0, m * k).Select(_ => Next()).ToArray(),
            Enumerable.Range(0, k * n).Select(_ => Next()).ToArray(),
            Enumerable.Range(0, m * n).Select(_ => Next()).ToArray());
    }

    private static double[] ToDouble(float[] x) => Array.ConvertAll(x, v => (double)v);

    /// <summary>Operands lie in [−1, 1], so each element's float32 error is at most about k·2⁻²⁴ (plus the addend).</summary>
    private static void AssertClose(double[] expected, float[] actual, int k)
    {
        Assert.Equal(expected.Length, actual.Length);
        var tolerance = 1e-6 * (k + 2) + 1e-6;
        for (var i = 0; i < expected.Length; i++)
            if (Math.Abs(expected[i] - actual[i]) > tolerance)
                Assert.Fail($"element {i}: expected {expected[i]}, got {actual[i]} (tolerance {tolerance})");
    }
}
