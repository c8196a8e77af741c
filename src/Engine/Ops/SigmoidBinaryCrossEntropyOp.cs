using System.Numerics;
using System.Numerics.Tensors;

namespace BackpropService.Engine.Ops;

/// <summary>
/// Fused σ + binary cross-entropy on the logits z (operands z, y, p = σ(z)):
/// C = (1/n) Σ [max(z, 0) − z y + ln(1 + e^−|z|)], which never takes the log of 0, and
/// dC/dz = (p − y)/n: the L3(1 − L3) of the sigmoid cancels against the loss's denominator, as in the seed's derivation.
/// </summary>
internal sealed class SigmoidBinaryCrossEntropyOp<T> : LossOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _difference = []; // p − y, one element per logit

    public override void Prepare(Shape[] inputShapes, Shape outputShape) => _difference = new T[inputShapes[0].Length];

    public override void Forward(Tensor<T>[] inputs, Tensor<T> output)
    {
        var (z, y) = (inputs[0].Data, inputs[1].Data);
        var total = T.Zero;
        for (var i = 0; i < z.Length; i++)
            total += T.Max(z[i], T.Zero) - z[i] * y[i] + T.LogP1(T.Exp(-T.Abs(z[i])));
        output.Data[0] = total / T.CreateChecked(z.Length);
    }

    public override void Backward(Tensor<T>[] inputs, Tensor<T> output, Tensor<T> outputGrad, Tensor<T>?[] inputGrads)
    {
        var (z, y, p) = (inputs[0].Data, inputs[1].Data, inputs[2].Data);
        var scale = outputGrad.Data[0] / T.CreateChecked(z.Length);
        if (inputGrads[0] is { } gradZ)
        {
            TensorPrimitives.Subtract(p, y, _difference);
            TensorPrimitives.MultiplyAdd(_difference, scale, gradZ.Data, gradZ.Data);
        }
        if (inputGrads[1] is { } gradY) TensorPrimitives.MultiplyAdd(z, -scale, gradY.Data, gradY.Data);
    }
}
