using System.Numerics;
using System.Numerics.Tensors;
using BackpropService.Engine.Graphs;

namespace BackpropService.Engine.Ops;

/// <summary>"cos": elementwise.</summary>
internal sealed class CosOp() : OpDefinition("cos", 160, 1, ShapeRules.Same)
{
    public override Op<T> Create<T>(NodeDefinition node) => new CosOp<T>();
}

/// <summary>y = cos x; dy/dx = −sin x.</summary>
internal sealed class CosOp<T> : UnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    protected override void Apply(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Cos(x, y);

    protected override void Derivative(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> derivative)
    {
        TensorPrimitives.Sin(x, derivative);
        TensorPrimitives.Negate(derivative, derivative);
    }
}
