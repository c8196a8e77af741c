using System.Numerics;
using System.Numerics.Tensors;
using BackpropService.Engine.Graphs;

namespace BackpropService.Engine.Ops;

/// <summary>"square": elementwise.</summary>
internal sealed class SquareOp() : OpDefinition("square", 110, 1, ShapeRules.Same)
{
    public override Op<T> Create<T>(NodeDefinition node) => new SquareOp<T>();
}

/// <summary>y = x²; dy/dx = 2x.</summary>
internal sealed class SquareOp<T> : UnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    protected override void Apply(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Multiply(x, x, y);

    protected override void Derivative(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> derivative) =>
        TensorPrimitives.Add(x, x, derivative);
}
