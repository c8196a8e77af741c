using BackpropService.Engine.Ops;

namespace BackpropService.Engine.Graphs;

/// <summary>
/// Turns the layered form into the graph form: per layer i, <c>layers.i.matmul = previous · layers.i.weights</c>,
/// <c>layers.i.add = matmul + layers.i.bias</c>, then the activation node; the loss compares the last one with target <c>y</c>.
/// </summary>
internal static class LayeredNetworkCompiler
{
    /// <summary>A layer with no activation node: its output is the affine map itself.</summary>
    public const string Identity = "identity";

    /// <summary>The ops that say they can be a layer's activation (<see cref="OpDefinition.Activation"/>), then identity.</summary>
    public static IReadOnlyList<string> Activations { get; } = [.. OpRegistry.Activations, Identity];

    public const string InputId = "x";
    public const string TargetId = "y";
    public const string LossId = "loss";

    public static GraphDefinition Compile(LayeredNetworkDefinition network)
    {
        LayeredNetworkValidator.Check(network);
        var nodes = new List<NodeDefinition>
        {
            new() { Id = InputId, Op = "input", Shape = [network.Inputs] },
            new() { Id = TargetId, Op = "target", Shape = [network.Layers[^1].Units] },
        };
        var previous = InputId;
        var width = network.Inputs;
        for (var i = 0; i < network.Layers.Count; i++)
        {
            var layer = network.Layers[i];
            var prefix = $"layers.{i}";
            nodes.Add(new() { Id = $"{prefix}.weights", Op = "parameter", Shape = [width, layer.Units],
                Init = layer.Init ?? DefaultInit(layer.Activation), Value = Matrix(layer.Weights, width, layer.Units) });
            nodes.Add(new() { Id = $"{prefix}.bias", Op = "parameter", Shape = [layer.Units], Init = "zeros",
                Value = layer.Bias is null ? null : new TensorData([layer.Units], layer.Bias) });
            nodes.Add(new() { Id = $"{prefix}.matmul", Op = "matmul", Inputs = [previous, $"{prefix}.weights"] });
            nodes.Add(new() { Id = $"{prefix}.add", Op = "add", Inputs = [$"{prefix}.matmul", $"{prefix}.bias"] });
            previous = $"{prefix}.add";
            if (layer.Activation != Identity)
            {
                nodes.Add(new() { Id = $"{prefix}.{layer.Activation}", Op = layer.Activation, Inputs = [previous] });
                previous = $"{prefix}.{layer.Activation}";
            }
            width = layer.Units;
        }
        nodes.Add(new() { Id = LossId, Op = network.Loss, Inputs = [previous, TargetId] });
        return new GraphDefinition(nodes, previous, LossId);
    }

    /// <summary>The activation's own choice (<see cref="LayerActivation.DefaultInit"/>); Xavier for identity.</summary>
    private static string DefaultInit(string activation) =>
        activation == Identity ? "xavier" : OpRegistry.Get(activation).Activation!.DefaultInit;

    private static TensorData? Matrix(double[][]? rows, int inputs, int units) =>
        rows is null ? null : new TensorData([inputs, units], rows.SelectMany(r => r).ToArray());
}
