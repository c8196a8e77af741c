using System.Numerics;
using System.Numerics.Tensors;
using BackpropService.Engine.Kernels;

namespace BackpropService.Engine.Ops;

/// <summary>y = max(x, 0); dy/dx = 1 where x &gt; 0, else 0.</summary>
internal sealed class ReluOp<T> : ActivationOp<T, ReluDerivative<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    protected override void Apply(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Max(x, T.Zero, y);
}
