using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace BackpropService.Engine.Kernels;

/// <summary>
/// The bias pattern of a dense layer without per-row library calls: a row vector added to every row of a matrix, and
/// its gradient, the column sums of a matrix added into it. A tiny network's rows are a few elements long, where a
/// TensorPrimitives call per row costs more than the arithmetic; these loop over the whole matrix once.
/// </summary>
internal static class RowBroadcast
{
    /// <summary>Effectively computes y[r, j] = x[r, j] + row[j] for every row r of x [rows, row.Length].</summary>
    public static void AddRow<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> row, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var cols = row.Length;
        if (cols == 0) return;
        if (x.Length != y.Length || x.Length % cols != 0) throw new ArgumentException("Matrix and row lengths do not match.");
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        ref var br = ref MemoryMarshal.GetReference(row);
        for (nuint start = 0; start < (nuint)x.Length; start += (nuint)cols)
            AddOp.Run(ref Unsafe.Add(ref xr, start), ref br, ref Unsafe.Add(ref yr, start), cols);
    }

    /// <summary>Effectively computes row[j] += Σᵣ x[r, j], adding the rows in order (r = 0, 1, …), so the bits match
    /// adding one row at a time.</summary>
    public static void AccumulateColumnSums<T>(ReadOnlySpan<T> x, Span<T> row) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var cols = row.Length;
        if (cols == 0) return;
        if (x.Length % cols != 0) throw new ArgumentException("Matrix and row lengths do not match.");
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var br = ref MemoryMarshal.GetReference(row);
        for (nuint start = 0; start < (nuint)x.Length; start += (nuint)cols)
            AddOp.Run(ref br, ref Unsafe.Add(ref xr, start), ref br, cols);
    }

    /// <summary>d[j] = a[j] + b[j] for j &lt; n: the widest accelerated vectors, then the next width, then a scalar tail.</summary>
    private readonly struct AddOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Run<T>(ref T a, ref T b, ref T d, int n) where T : unmanaged, IFloatingPointIeee754<T>
        {
            nuint j = 0, count = (nuint)n;
            if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && count >= (nuint)Vector512<T>.Count)
                for (; j + (nuint)Vector512<T>.Count <= count; j += (nuint)Vector512<T>.Count)
                    (Vector512.LoadUnsafe(ref a, j) + Vector512.LoadUnsafe(ref b, j)).StoreUnsafe(ref d, j);
            if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && count - j >= (nuint)Vector256<T>.Count)
                for (; j + (nuint)Vector256<T>.Count <= count; j += (nuint)Vector256<T>.Count)
                    (Vector256.LoadUnsafe(ref a, j) + Vector256.LoadUnsafe(ref b, j)).StoreUnsafe(ref d, j);
            for (; j < count; j++) Unsafe.Add(ref d, j) = Unsafe.Add(ref a, j) + Unsafe.Add(ref b, j);
        }
    }
}
