using System.Numerics;
using System.Numerics.Tensors;
using BackpropService.Engine.Graphs;
using BackpropService.Engine.Kernels;

namespace BackpropService.Engine.Ops;

/// <summary>"add": two operands, broadcast together.</summary>
internal sealed class AddOp() : OpDefinition("add", 50, 2, ShapeRules.Broadcasting)
{
    public override Op<T> Create<T>(NodeDefinition node) => new AddOp<T>();
}

/// <summary>
/// y = a + b (broadcasting); dy/da = 1, dy/db = 1, so each operand's gradient gets dy summed over the axes it was
/// repeated along. The dense layer's bias (a matrix plus a row) runs as one pass each way (<see cref="RowBroadcast"/>);
/// other broadcasts go row by row.
/// </summary>
internal sealed class AddOp<T> : Op<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Forward(Tensor<T>[] inputs, Tensor<T> output)
    {
        var (a, b) = (inputs[0], inputs[1]);
        if (a.Length == output.Length && b.Length == output.Length) TensorPrimitives.Add(a.Data, b.Data, output.Data);
        else if (a.Length == output.Length && IsRow(b, output)) RowBroadcast.AddRow<T>(a.Data, b.Data, output.Data);
        else if (b.Length == output.Length && IsRow(a, output)) RowBroadcast.AddRow<T>(b.Data, a.Data, output.Data);
        else
            for (var r = 0; r < output.Shape.Rows; r++)
                Broadcast.Add<T>(Broadcast.RowOf(a, r), Broadcast.RowOf(b, r), output.Row(r));
    }

    public override void Backward(Tensor<T>[] inputs, Tensor<T> output, Tensor<T> outputGrad, Tensor<T>?[] inputGrads)
    {
        for (var operand = 0; operand < 2; operand++)
        {
            if (inputGrads[operand] is not { } grad) continue;
            if (grad.Length == outputGrad.Length) TensorPrimitives.Add(grad.Data, outputGrad.Data, grad.Data);
            else if (IsRow(grad, output)) RowBroadcast.AccumulateColumnSums<T>(outputGrad.Data, grad.Data);
            else
                for (var r = 0; r < output.Shape.Rows; r++) Broadcast.AccumulateRow(grad, r, outputGrad.Row(r));
        }
    }

    /// <summary>One row as wide as the output (a bias), repeated down its rows.</summary>
    private static bool IsRow(Tensor<T> x, Tensor<T> output) => x.Shape.Rows == 1 && x.Shape.Cols == output.Shape.Cols && output.Shape.Cols > 0;
}
