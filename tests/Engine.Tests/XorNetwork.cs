using BackpropService.Engine.Graphs;

namespace BackpropService.Engine.Tests;

/// <summary>The seed's 2-2-1 sigmoid network and the XOR truth table, shared by the tests that train or differentiate it.</summary>
internal static class XorNetwork
{
    public static LayeredNetworkDefinition Definition(double[][]? hiddenWeights = null, double[]? hiddenBias = null,
        double[][]? outputWeights = null, double[]? outputBias = null) => new(2,
    [
        new LayerDefinition(2, "sigmoid", Weights: hiddenWeights, Bias: hiddenBias),
        new LayerDefinition(1, "sigmoid", Weights: outputWeights, Bias: outputBias),
    ], "binary_cross_entropy");

    public static Network Create() => Network.FromLayers(Definition());

    public static readonly double[][] Features = [[0, 0], [0, 1], [1, 0], [1, 1]];
    public static readonly double[] Targets = [0, 1, 1, 0];

    public static TrainingData Data() => new(
        Features.SelectMany(r => r).Select(v => (float)v).ToArray(),
        Targets.Select(v => (float)v).ToArray(), 4, 2, 1);
}
