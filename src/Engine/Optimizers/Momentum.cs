using System.Numerics;
using System.Numerics.Tensors;

namespace BackpropService.Engine.Optimizers;

/// <summary>v ← μ·v + g; θ ← θ − η·v (PyTorch's SGD with momentum, no dampening).</summary>
internal sealed class Momentum<T> : IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T _minusRate;
    private readonly T _momentum;

    public Momentum(Tensor<T>[] parameters, double learningRate, double momentum)
    {
        _minusRate = T.CreateChecked(-learningRate);
        _momentum = T.CreateChecked(momentum);
        State = parameters.Select(p => new T[p.Length]).ToArray();
    }

    public double LearningRate { set => _minusRate = T.CreateChecked(-value); }

    public T[][] State { get; }
    public long StepCount { get; set; }

    public void Step(Tensor<T>[] parameters, Tensor<T>[] gradients)
    {
        for (var i = 0; i < parameters.Length; i++)
        {
            var velocity = State[i];
            TensorPrimitives.MultiplyAdd(velocity, _momentum, gradients[i].Data, velocity);
            TensorPrimitives.MultiplyAdd(velocity, _minusRate, parameters[i].Data, parameters[i].Data);
        }
        StepCount++;
    }
}
