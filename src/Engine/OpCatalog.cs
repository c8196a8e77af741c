using BackpropService.Engine.Graphs;
using BackpropService.Engine.Ops;

namespace BackpropService.Engine;

/// <summary>The names a client may use, for documentation and validation messages.</summary>
public static class OpCatalog
{
    public static IReadOnlyList<string> Names => OpRegistry.Names;
    public static IReadOnlyList<string> Activations => Graphs.LayeredNetworkCompiler.Activations;
    public static IReadOnlyList<string> Losses { get; } = ["binary_cross_entropy", "cross_entropy", "mse"];
    public static IReadOnlyList<string> Initializers => Training.ParameterInitializer.Names;
    public static IReadOnlyList<string> Optimizers => BackpropService.Engine.Optimizers.OptimizerFactory.Names;
}
