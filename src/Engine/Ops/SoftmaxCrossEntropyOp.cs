using System.Numerics;
using System.Numerics.Tensors;

namespace BackpropService.Engine.Ops;

/// <summary>
/// Fused softmax + categorical cross-entropy on the logits z (operands z, y, p = softmax(z)), row by row:
/// C = (1/rows) Σⱼ yⱼ (logsumexp(z) − zⱼ), dC/dzⱼ = (pⱼ Σₖyₖ − yⱼ)/rows, which is (p − y)/rows for one-hot targets.
/// </summary>
internal sealed class SoftmaxCrossEntropyOp<T> : LossOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Forward(Tensor<T>[] inputs, Tensor<T> output)
    {
        var (z, y) = (inputs[0], inputs[1]);
        var total = T.Zero;
        for (var r = 0; r < z.Shape.Rows; r++)
        {
            var zRow = z.Row(r);
            var yRow = y.Row(r);
            var max = TensorPrimitives.Max<T>(zRow);
            var sumExp = T.Zero;
            for (var j = 0; j < zRow.Length; j++) sumExp += T.Exp(zRow[j] - max);
            var logSumExp = max + T.Log(sumExp);
            for (var j = 0; j < zRow.Length; j++) total += yRow[j] * (logSumExp - zRow[j]);
        }
        output.Data[0] = total / T.CreateChecked(z.Shape.Rows);
    }

    public override void Backward(Tensor<T>[] inputs, Tensor<T> output, Tensor<T> outputGrad, Tensor<T>?[] inputGrads)
    {
        var (z, y, p) = (inputs[0], inputs[1], inputs[2]);
        var scale = outputGrad.Data[0] / T.CreateChecked(z.Shape.Rows);
        for (var r = 0; r < z.Shape.Rows; r++)
        {
            var yRow = y.Row(r);
            var pRow = p.Row(r);
            var targetMass = TensorPrimitives.Sum<T>(yRow);
            if (inputGrads[0] is { } gradZ)
            {
                var gRow = gradZ.Row(r);
                for (var j = 0; j < gRow.Length; j++) gRow[j] += scale * (pRow[j] * targetMass - yRow[j]);
            }
            if (inputGrads[1] is { } gradY)
            {
                var gRow = gradY.Row(r);
                for (var j = 0; j < gRow.Length; j++) gRow[j] -= scale * T.Log(T.Max(pRow[j], Epsilon));
            }
        }
    }
}
