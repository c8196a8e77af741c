using System.Numerics;

namespace BackpropService.Engine.Optimizers;

/// <summary>Updates parameters from their gradients; its state (moments, step count) is part of a checkpoint.</summary>
internal interface IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The rate of the coming steps; a schedule sets it once per epoch (state such as moments is kept).</summary>
    double LearningRate { set; }

    void Step(Tensor<T>[] parameters, Tensor<T>[] gradients);

    /// <summary>The state buffers, in a fixed order, for checkpoints (empty for plain SGD).</summary>
    T[][] State { get; }

    long StepCount { get; set; }
}
