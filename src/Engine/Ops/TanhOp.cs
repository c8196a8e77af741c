using System.Numerics;
using System.Numerics.Tensors;
using BackpropService.Engine.Kernels;

namespace BackpropService.Engine.Ops;

/// <summary>y = tanh x; dy/dx = 1 − y².</summary>
internal sealed class TanhOp<T> : ActivationOp<T, TanhDerivative<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    protected override void Apply(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Tanh(x, y);
}
