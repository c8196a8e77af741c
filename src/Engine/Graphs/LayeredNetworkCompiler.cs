namespace BackpropService.Engine.Graphs;

/// <summary>
/// Turns the layered form into the graph form: per layer i, <c>layers.i.matmul = previous · layers.i.weights</c>,
/// <c>layers.i.add = matmul + layers.i.bias</c>, then the activation node; the loss compares the last one with target <c>y</c>.
/// </summary>
internal static class LayeredNetworkCompiler
{
    public static IReadOnlyList<string> Activations { get; } = ["sigmoid", "tanh", "relu", "leaky_relu", "softmax", "identity"];

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
            if (layer.Activation != "identity")
            {
                nodes.Add(new() { Id = $"{prefix}.{layer.Activation}", Op = layer.Activation, Inputs = [previous] });
                previous = $"{prefix}.{layer.Activation}";
            }
            width = layer.Units;
        }
        nodes.Add(new() { Id = LossId, Op = network.Loss, Inputs = [previous, TargetId] });
        return new GraphDefinition(nodes, previous, LossId);
    }

    /// <summary>He initialisation keeps ReLU-family activations' variance; Xavier suits the saturating ones.</summary>
    private static string DefaultInit(string activation) => activation is "relu" or "leaky_relu" ? "he" : "xavier";

    private static TensorData? Matrix(double[][]? rows, int inputs, int units) =>
        rows is null ? null : new TensorData([inputs, units], rows.SelectMany(r => r).ToArray());
}
