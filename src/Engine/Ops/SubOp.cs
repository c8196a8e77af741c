using System.Numerics;
using System.Numerics.Tensors;
using BackpropService.Engine.Graphs;
using BackpropService.Engine.Kernels;

namespace BackpropService.Engine.Ops;

/// <summary>"sub": two operands, broadcast together.</summary>
internal sealed class SubOp() : OpDefinition("sub", 60, 2, ShapeRules.Broadcasting)
{
    public override Op<T> Create<T>(NodeDefinition node) => new SubOp<T>();
}

/// <summary>y = a − b (broadcasting); dy/da = 1, dy/db = −1.</summary>
internal sealed class SubOp<T> : BinaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    protected override void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> output) => Broadcast.Subtract(a, b, output);

    protected override void Contribution(int operand, ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> output,
        ReadOnlySpan<T> outputGrad, Span<T> contribution)
    {
        if (operand == 0) outputGrad.CopyTo(contribution);
        else TensorPrimitives.Negate(outputGrad, contribution);
    }
}
