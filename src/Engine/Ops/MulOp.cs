using System.Numerics;
using BackpropService.Engine.Graphs;
using BackpropService.Engine.Kernels;

namespace BackpropService.Engine.Ops;

/// <summary>"mul": two operands, broadcast together.</summary>
internal sealed class MulOp() : OpDefinition("mul", 70, 2, ShapeRules.Broadcasting)
{
    public override Op<T> Create<T>(NodeDefinition node) => new MulOp<T>();
}

/// <summary>y = a ⊙ b (broadcasting); dy/da = b, dy/db = a.</summary>
internal sealed class MulOp<T> : BinaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    protected override void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> output) => Broadcast.Multiply(a, b, output);

    protected override void Contribution(int operand, ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> output,
        ReadOnlySpan<T> outputGrad, Span<T> contribution) =>
        Broadcast.Multiply(outputGrad, operand == 0 ? b : a, contribution);
}
