using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace BackpropService.Engine.Kernels;

/// <summary>
/// One-pass activation backward, dx += dy ⊙ f'(x) computed from x and y = f(x) in registers, instead of writing f'
/// to a buffer and reading it back (three library calls per op for the common activations). Operators follow the
/// TensorPrimitives pattern: a readonly struct with a Vector512, a Vector256 and a scalar form, one driver. Each
/// activation's operator sits in its op's file beside its forward (<c>SigmoidDerivative</c> in <c>Ops/SigmoidOp.cs</c>).
/// </summary>
internal static class ActivationGradient
{
    /// <summary>Effectively computes dx[i] += dy[i] · f'(x[i]) where f' comes from <typeparamref name="TOp"/>.</summary>
    public static void Accumulate<T, TOp>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IActivationDerivative<T>
    {
        if (x.Length != dx.Length || y.Length != dx.Length || dy.Length != dx.Length)
            throw new ArgumentException("Activation gradient operands must have the same length.");
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        ref var gr = ref MemoryMarshal.GetReference(dy);
        ref var dr = ref MemoryMarshal.GetReference(dx);
        nuint i = 0, n = (nuint)dx.Length;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
            for (; i + (nuint)Vector512<T>.Count <= n; i += (nuint)Vector512<T>.Count)
                (Vector512.LoadUnsafe(ref dr, i) + Vector512.LoadUnsafe(ref gr, i) * TOp.Derivative(Vector512.LoadUnsafe(ref xr, i), Vector512.LoadUnsafe(ref yr, i)))
                    .StoreUnsafe(ref dr, i);
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
            for (; i + (nuint)Vector256<T>.Count <= n; i += (nuint)Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref dr, i) + Vector256.LoadUnsafe(ref gr, i) * TOp.Derivative(Vector256.LoadUnsafe(ref xr, i), Vector256.LoadUnsafe(ref yr, i)))
                    .StoreUnsafe(ref dr, i);
        for (; i < n; i++) Unsafe.Add(ref dr, i) += Unsafe.Add(ref gr, i) * TOp.Derivative(Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i));
    }
}

/// <summary>f'(x) given x and y = f(x), in the three widths; every width must give the same bits per element.</summary>
internal interface IActivationDerivative<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract T Derivative(T x, T y);
    static abstract Vector256<T> Derivative(Vector256<T> x, Vector256<T> y);
    static abstract Vector512<T> Derivative(Vector512<T> x, Vector512<T> y);
}
