using System.Numerics;
using System.Numerics.Tensors;
using BackpropService.Engine.Graphs;

namespace BackpropService.Engine.Ops;

/// <summary>"exp": elementwise.</summary>
internal sealed class ExpOp() : OpDefinition("exp", 130, 1, ShapeRules.Same)
{
    public override Op<T> Create<T>(NodeDefinition node) => new ExpOp<T>();
}

/// <summary>y = eˣ; dy/dx = eˣ = y.</summary>
internal sealed class ExpOp<T> : UnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    protected override void Apply(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Exp(x, y);

    protected override void Derivative(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> derivative) => y.CopyTo(derivative);
}
