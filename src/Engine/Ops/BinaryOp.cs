using System.Numerics;
using BackpropService.Engine.Kernels;

namespace BackpropService.Engine.Ops;

/// <summary>
/// Shared driver of the broadcasting elementwise ops: walks the output row by row, so a bias row or a scalar
/// operand needs no copy, and gives each op a scratch row for its gradient contributions.
/// </summary>
internal abstract class BinaryOp<T> : Op<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _scratch = [];

    public override void Prepare(Shape[] inputShapes, Shape outputShape) => _scratch = new T[outputShape.Cols];

    public sealed override void Forward(Tensor<T>[] inputs, Tensor<T> output)
    {
        var (a, b) = (inputs[0], inputs[1]);
        if (a.Length == output.Length && b.Length == output.Length)
        {
            Apply(a.Data, b.Data, output.Data); // same shapes: one call over the whole buffer
            return;
        }
        for (var r = 0; r < output.Shape.Rows; r++)
            Apply(Broadcast.RowOf(a, r), Broadcast.RowOf(b, r), output.Row(r));
    }

    public sealed override void Backward(Tensor<T>[] inputs, Tensor<T> output, Tensor<T> outputGrad, Tensor<T>?[] inputGrads)
    {
        for (var operand = 0; operand < 2; operand++)
        {
            var grad = inputGrads[operand];
            if (grad is null) continue;
            for (var r = 0; r < output.Shape.Rows; r++)
            {
                var contribution = _scratch.AsSpan();
                Contribution(operand, Broadcast.RowOf(inputs[0], r), Broadcast.RowOf(inputs[1], r), output.Row(r),
                    outputGrad.Row(r), contribution);
                Broadcast.AccumulateRow(grad, r, contribution);
            }
        }
    }

    /// <summary>Elementwise forward over one row; either operand may be a one-element row.</summary>
    protected abstract void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> output);

    /// <summary>Writes d loss / d operand for one output row (before reduction over broadcast axes).</summary>
    protected abstract void Contribution(int operand, ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> output,
        ReadOnlySpan<T> outputGrad, Span<T> contribution);
}
