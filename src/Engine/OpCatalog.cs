using BackpropService.Engine.Graphs;
using BackpropService.Engine.Ops;

namespace BackpropService.Engine;

/// <summary>
/// The names a client may use, for documentation and validation messages. The op, activation and loss lists are read
/// from the op descriptions (<see cref="OpRegistry"/>), so they cannot drift from what the engine accepts.
/// </summary>
public static class OpCatalog
{
    public static IReadOnlyList<string> Names => OpRegistry.Names;
    public static IReadOnlyList<string> Activations => LayeredNetworkCompiler.Activations;
    public static IReadOnlyList<string> Losses => OpRegistry.Losses;
    public static IReadOnlyList<string> Initializers => Training.ParameterInitializer.Names;
    public static IReadOnlyList<string> Optimizers => BackpropService.Engine.Optimizers.OptimizerFactory.Names;
}
