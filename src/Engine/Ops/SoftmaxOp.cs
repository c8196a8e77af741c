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
        // NOTE: TensorPrimitives.SoftMax does not shift by the max (e^1000 overflows to ∞ and gives NaN), so shift here.
        for (var r = 0; r < output.Shape.Rows; r++)
        {
            var x = inputs[0].Row(r);
            var y = output.Row(r);
            TensorPrimitives.Subtract(x, TensorPrimitives.Max<T>(x), y);
            TensorPrimitives.Exp(y, y);
            TensorPrimitives.Divide(y, TensorPrimitives.Sum<T>(y), y);
        }
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
