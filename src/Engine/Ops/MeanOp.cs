using System.Numerics;
using System.Numerics.Tensors;

namespace BackpropService.Engine.Ops;

/// <summary>y = (1/n) Σᵢ xᵢ (a scalar); dy/dxᵢ = 1/n.</summary>
internal sealed class MeanOp<T> : Op<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Forward(Tensor<T>[] inputs, Tensor<T> output) =>
        output.Data[0] = TensorPrimitives.Sum<T>(inputs[0].Data) / T.CreateChecked(inputs[0].Length);

    public override void Backward(Tensor<T>[] inputs, Tensor<T> output, Tensor<T> outputGrad, Tensor<T>?[] inputGrads)
    {
        if (inputGrads[0] is { } grad)
            TensorPrimitives.Add(grad.Data, outputGrad.Data[0] / T.CreateChecked(grad.Length), grad.Data);
    }
}
