using System.Numerics;
using System.Numerics.Tensors;
using BackpropService.Engine.Kernels;

namespace BackpropService.Engine.Ops;

/// <summary>y = tanh x; dy/dx = 1 − y².</summary>
internal sealed class TanhOp<T> : UnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    protected override void Apply(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Tanh(x, y);

    protected override bool AccumulateGradient(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
    {
        ActivationGradient.Accumulate<T, TanhDerivative<T>>(x, y, dy, dx);
        return true;
    }

    protected override void Derivative(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> derivative)
    {
        // 1 − y² computed as (−y)·y + 1 in one fused pass.
        TensorPrimitives.Negate(y, derivative);
        TensorPrimitives.MultiplyAdd(derivative, y, T.One, derivative);
    }
}
