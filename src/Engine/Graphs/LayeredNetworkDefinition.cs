namespace BackpropService.Engine.Graphs;

/// <summary>A dense feed-forward network given as layers; <see cref="LayeredNetworkCompiler"/> turns it into a graph.</summary>
public sealed record LayeredNetworkDefinition(int Inputs, IReadOnlyList<LayerDefinition> Layers, string Loss);

/// <summary>
/// One dense layer: <c>activation(previous · weights + bias)</c>. <see cref="Weights"/> is [inputs][units]
/// (row = input unit); explicit values override <see cref="Init"/>.
/// </summary>
public sealed record LayerDefinition(
    int Units,
    string Activation,
    string? Init = null,
    double[][]? Weights = null,
    double[]? Bias = null);
