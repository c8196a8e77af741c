using System.Numerics;
using System.Numerics.Tensors;

namespace BackpropService.Engine.Optimizers;

/// <summary>θ ← θ − η·g.</summary>
internal sealed class Sgd<T>(double learningRate) : IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T _minusRate = T.CreateChecked(-learningRate);

    public double LearningRate { set => _minusRate = T.CreateChecked(-value); }

    public T[][] State => [];
    public long StepCount { get; set; }

    public void Step(Tensor<T>[] parameters, Tensor<T>[] gradients)
    {
        for (var i = 0; i < parameters.Length; i++)
            TensorPrimitives.MultiplyAdd(gradients[i].Data, _minusRate, parameters[i].Data, parameters[i].Data);
        StepCount++;
    }
}
