using System.Numerics;
using System.Numerics.Tensors;
using BackpropService.Engine.Graphs;
using BackpropService.Engine.Kernels;

namespace BackpropService.Engine.Ops;

/// <summary>"div": two operands, broadcast together.</summary>
internal sealed class DivOp() : OpDefinition("div", 80, 2, ShapeRules.Broadcasting)
{
    public override Op<T> Create<T>(NodeDefinition node) => new DivOp<T>();
}

/// <summary>y = a / b (broadcasting); dy/da = 1/b, dy/db = −a/b² = −y/b.</summary>
internal sealed class DivOp<T> : BinaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    protected override void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> output) => Broadcast.Divide(a, b, output);

    protected override void Contribution(int operand, ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> output,
        ReadOnlySpan<T> outputGrad, Span<T> contribution)
    {
        Broadcast.Divide(outputGrad, b, contribution);
        if (operand == 1)
        {
            TensorPrimitives.Multiply(contribution, output, contribution);
            TensorPrimitives.Negate(contribution, contribution);
        }
    }
}
