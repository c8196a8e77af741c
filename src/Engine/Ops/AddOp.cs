using System.Numerics;
using BackpropService.Engine.Kernels;

namespace BackpropService.Engine.Ops;

/// <summary>y = a + b (broadcasting); dy/da = 1, dy/db = 1.</summary>
internal sealed class AddOp<T> : BinaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    protected override void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> output) => Broadcast.Add(a, b, output);

    protected override void Contribution(int operand, ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> output,
        ReadOnlySpan<T> outputGrad, Span<T> contribution) => outputGrad.CopyTo(contribution);
}
