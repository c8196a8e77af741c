using System.Numerics;
using System.Numerics.Tensors;
using BackpropService.Engine.Graphs;

namespace BackpropService.Engine.Ops;

/// <summary>"log": elementwise.</summary>
internal sealed class LogOp() : OpDefinition("log", 140, 1, ShapeRules.Same)
{
    public override Op<T> Create<T>(NodeDefinition node) => new LogOp<T>();
}

/// <summary>y = ln x; dy/dx = 1/x.</summary>
internal sealed class LogOp<T> : UnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    protected override void Apply(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Log(x, y);

    protected override void Derivative(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> derivative) =>
        TensorPrimitives.Divide(T.One, x, derivative);
}
