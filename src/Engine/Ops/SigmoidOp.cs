using System.Numerics;
using System.Numerics.Tensors;
using BackpropService.Engine.Kernels;

namespace BackpropService.Engine.Ops;

/// <summary>y = σ(x) = 1 / (1 + e⁻ˣ); dy/dx = y(1 − y).</summary>
internal sealed class SigmoidOp<T> : UnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // NOTE: TensorPrimitives.Sigmoid saturates to 0 or 1 for large |x| instead of overflowing.
    protected override void Apply(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Sigmoid(x, y);

    protected override bool AccumulateGradient(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
    {
        ActivationGradient.Accumulate<T, SigmoidDerivative<T>>(x, y, dy, dx);
        return true;
    }

    protected override void Derivative(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> derivative)
    {
        TensorPrimitives.Subtract(T.One, y, derivative);
        TensorPrimitives.Multiply(derivative, y, derivative);
    }
}
