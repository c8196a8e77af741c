using System.Numerics;
using System.Numerics.Tensors;

namespace BackpropService.Engine.Ops;

/// <summary>C = (1/n) Σ (p − y)² over all n elements; dC/dp = 2(p − y)/n, dC/dy = −2(p − y)/n.</summary>
internal sealed class MseOp<T> : LossOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Forward(Tensor<T>[] inputs, Tensor<T> output)
    {
        TensorPrimitives.Subtract(inputs[0].Data, inputs[1].Data, Scratch);
        output.Data[0] = TensorPrimitives.SumOfSquares<T>(Scratch) / T.CreateChecked(Scratch.Length);
    }

    public override void Backward(Tensor<T>[] inputs, Tensor<T> output, Tensor<T> outputGrad, Tensor<T>?[] inputGrads)
    {
        var scale = T.CreateChecked(2) * outputGrad.Data[0] / T.CreateChecked(Scratch.Length);
        TensorPrimitives.Subtract(inputs[0].Data, inputs[1].Data, Scratch);
        if (inputGrads[0] is { } gradP) TensorPrimitives.MultiplyAdd(Scratch, scale, gradP.Data, gradP.Data);
        if (inputGrads[1] is { } gradY) TensorPrimitives.MultiplyAdd(Scratch, -scale, gradY.Data, gradY.Data);
    }
}
