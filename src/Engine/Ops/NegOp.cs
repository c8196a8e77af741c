using System.Numerics;
using System.Numerics.Tensors;
using BackpropService.Engine.Graphs;

namespace BackpropService.Engine.Ops;

/// <summary>"neg": elementwise.</summary>
internal sealed class NegOp() : OpDefinition("neg", 90, 1, ShapeRules.Same)
{
    public override Op<T> Create<T>(NodeDefinition node) => new NegOp<T>();
}

/// <summary>y = −x; dy/dx = −1.</summary>
internal sealed class NegOp<T> : UnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    protected override void Apply(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Negate(x, y);

    protected override void Derivative(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> derivative) => derivative.Fill(-T.One);
}
