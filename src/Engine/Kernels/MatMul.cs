using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace BackpropService.Engine.Kernels;

/// <summary>Row-major matrix products. float32 runs the packed, register-blocked <see cref="Gemm"/> (transposes are
/// packed, not looped); other types (the float64 chain-rule evaluator) use row operations, so every inner loop is one
/// vectorised TensorPrimitives call over a contiguous row.</summary>
internal static class MatMul
{
    /// <summary>Effectively computes c = a · b for a [m, k], b [k, n], c [m, n] (overwrites c).</summary>
    public static void Multiply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            Gemm.Multiply(false, false, m, n, k, AsFloat(a), AsFloat(b), AsFloat(c), accumulate: false);
            return;
        }
        c[..(m * n)].Clear();
        MultiplyAccumulate(a, b, c, m, k, n);
    }

    /// <summary>Effectively computes c += a · b for a [m, k], b [k, n], c [m, n].</summary>
    public static void MultiplyAccumulate<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            Gemm.Multiply(false, false, m, n, k, AsFloat(a), AsFloat(b), AsFloat(c), accumulate: true);
            return;
        }
        for (var i = 0; i < m; i++)
        {
            var cRow = c.Slice(i * n, n);
            var aRow = a.Slice(i * k, k);
            for (var p = 0; p < k; p++)
            {
                var aip = aRow[p];
                if (aip == T.Zero) continue; // ReLU activations are often exactly zero
                TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), aip, cRow, cRow);
            }
        }
    }

    /// <summary>Effectively computes c += a · bᵀ for a [m, n], b [k, n], c [m, k] (the input gradient of a product).</summary>
    public static void MultiplyTransposedBAccumulate<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            Gemm.Multiply(false, true, m, k, n, AsFloat(a), AsFloat(b), AsFloat(c), accumulate: true);
            return;
        }
        for (var i = 0; i < m; i++)
        {
            var aRow = a.Slice(i * n, n);
            for (var j = 0; j < k; j++) c[i * k + j] += TensorPrimitives.Dot(aRow, b.Slice(j * n, n));
        }
    }

    /// <summary>Effectively computes c += aᵀ · b for a [m, k], b [m, n], c [k, n] (the weight gradient of a product).</summary>
    public static void MultiplyTransposedAAccumulate<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            Gemm.Multiply(true, false, k, n, m, AsFloat(a), AsFloat(b), AsFloat(c), accumulate: true);
            return;
        }
        for (var i = 0; i < m; i++)
        {
            var bRow = b.Slice(i * n, n);
            for (var p = 0; p < k; p++)
            {
                var aip = a[i * k + p];
                if (aip == T.Zero) continue;
                var cRow = c.Slice(p * n, n);
                TensorPrimitives.MultiplyAdd(bRow, aip, cRow, cRow);
            }
        }
    }

    private static ReadOnlySpan<float> AsFloat<T>(ReadOnlySpan<T> x) where T : unmanaged => MemoryMarshal.Cast<T, float>(x);

    private static Span<float> AsFloat<T>(Span<T> x) where T : unmanaged => MemoryMarshal.Cast<T, float>(x);
}
