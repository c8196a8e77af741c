using System.Numerics;
using System.Numerics.Tensors;

namespace BackpropService.Engine.Ops;

/// <summary>
/// Row-wise yᵢ = e^(xᵢ − max x) / Σⱼ e^(xⱼ − max x) (shifting by the max cannot overflow);
/// dx = y ⊙ (dy − (dy · y)).
/// </summary>
internal sealed class SoftmaxOp<T> : Op<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Forward(Tensor<T>[] inputs, Tensor<T> output)
    {
        for (var r = 0; r < output.Shape.Rows; r++) TensorPrimitives.SoftMax(inputs[0].Row(r), output.Row(r));
    }

    public override void Backward(Tensor<T>[] inputs, Tensor<T> output, Tensor<T> outputGrad, Tensor<T>?[] inputGrads)
    {
        var grad = inputGrads[0];
        if (grad is null) return;
        for (var r = 0; r < output.Shape.Rows; r++)
        {
            var y = output.Row(r);
            var dy = outputGrad.Row(r);
            var dx = grad.Row(r);
            var dot = TensorPrimitives.Dot<T>(dy, y);
            for (var i = 0; i < y.Length; i++) dx[i] += y[i] * (dy[i] - dot);
        }
    }
}
