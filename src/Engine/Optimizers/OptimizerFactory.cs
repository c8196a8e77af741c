using System.Numerics;

namespace BackpropService.Engine.Optimizers;

internal static class OptimizerFactory
{
    public static IReadOnlyList<string> Names { get; } = ["sgd", "momentum", "adam"];

    public static IOptimizer<T> Create<T>(TrainingSettings settings, Tensor<T>[] parameters)
        where T : unmanaged, IFloatingPointIeee754<T> => settings.Optimizer switch
    {
        "sgd" => new Sgd<T>(settings.LearningRate),
        "momentum" => new Momentum<T>(parameters, settings.LearningRate, settings.Momentum),
        "adam" => new Adam<T>(parameters, settings.LearningRate, settings.Beta1, settings.Beta2, settings.Epsilon),
        _ => throw new ArgumentException($"Unknown optimizer '{settings.Optimizer}'. Use one of: {string.Join(", ", Names)}."),
    };
}
