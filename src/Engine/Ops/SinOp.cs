using System.Numerics;
using System.Numerics.Tensors;
using BackpropService.Engine.Graphs;

namespace BackpropService.Engine.Ops;

/// <summary>"sin": elementwise.</summary>
internal sealed class SinOp() : OpDefinition("sin", 150, 1, ShapeRules.Same)
{
    public override Op<T> Create<T>(NodeDefinition node) => new SinOp<T>();
}

/// <summary>y = sin x; dy/dx = cos x.</summary>
internal sealed class SinOp<T> : UnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    protected override void Apply(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Sin(x, y);

    protected override void Derivative(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> derivative) =>
        TensorPrimitives.Cos(x, derivative);
}
