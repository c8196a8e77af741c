using System.Numerics;
using System.Numerics.Tensors;
using BackpropService.Engine.Kernels;

namespace BackpropService.Engine.Ops;

/// <summary>y = σ(x) = 1 / (1 + e⁻ˣ); dy/dx = y(1 − y).</summary>
internal sealed class SigmoidOp<T> : ActivationOp<T, SigmoidDerivative<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    // NOTE: TensorPrimitives.Sigmoid saturates to 0 or 1 for large |x| instead of overflowing.
    protected override void Apply(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Sigmoid(x, y);
}
