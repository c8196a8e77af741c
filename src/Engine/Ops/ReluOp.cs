using System.Numerics;
using System.Numerics.Tensors;
using BackpropService.Engine.Kernels;

namespace BackpropService.Engine.Ops;

/// <summary>y = max(x, 0); dy/dx = 1 where x &gt; 0, else 0.</summary>
internal sealed class ReluOp<T> : UnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    protected override void Apply(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Max(x, T.Zero, y);

    protected override bool AccumulateGradient(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
    {
        ActivationGradient.Accumulate<T, ReluDerivative<T>>(x, y, dy, dx);
        return true;
    }

    protected override void Derivative(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> derivative)
    {
        for (var i = 0; i < x.Length; i++) derivative[i] = x[i] > T.Zero ? T.One : T.Zero;
    }
}
