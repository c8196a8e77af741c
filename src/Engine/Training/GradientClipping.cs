using System.Numerics;
using System.Numerics.Tensors;

namespace BackpropService.Engine.Training;

/// <summary>torch.nn.utils.clip_grad_norm_: the global L2 norm over every gradient, scaled by max/(norm + 1e-6) when that is below 1.</summary>
internal static class GradientClipping
{
    public static void Clip<T>(Tensor<T>[] gradients, double maxNorm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var sumOfSquares = 0.0;
        foreach (var gradient in gradients)
        {
            var norm = double.CreateChecked(TensorPrimitives.Norm<T>(gradient.Data));
            sumOfSquares += norm * norm;
        }
        var coefficient = maxNorm / (Math.Sqrt(sumOfSquares) + 1e-6);
        if (!(coefficient < 1)) return;
        var scale = T.CreateChecked(coefficient);
        foreach (var gradient in gradients) TensorPrimitives.Multiply(gradient.Data, scale, gradient.Data);
    }
}
