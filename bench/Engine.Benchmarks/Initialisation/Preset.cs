using BackpropService.Engine.Graphs;

namespace BackpropService.Engine.Benchmarks.Initialisation;

/// <summary>One of the page's presets: its network, dataset and settings (src/Api/wwwroot/js/presets.js), seed aside.</summary>
internal sealed record Preset(string Name, LayeredNetworkDefinition Network, TrainingData Data, Func<ulong, TrainingSettings> Settings)
{
    public static IReadOnlyList<Preset> All(string irisCsv)
    {
        var circles = PresetData.TwoCircles();
        return
        [
            new("xor", Layered(2, [2], "sigmoid", 1, "sigmoid"), XorData(),
                seed => new() { Epochs = 1_000_000, LearningRate = 2, Optimizer = "sgd", Seed = seed }),
            new("circles", Layered(2, [8], "tanh", 1, "sigmoid"), circles,
                seed => new() { Epochs = 60_000, LearningRate = 0.03, Optimizer = "adam", BatchSize = 32, Seed = seed, ValidationSplit = 0.2 }),
            new("spirals", Layered(2, [16, 16], "tanh", 1, "sigmoid"), PresetData.TwoSpirals(),
                seed => new() { Epochs = 20_000, LearningRate = 0.01, Optimizer = "adam", BatchSize = 32, Seed = seed }),
            new("iris", Layered(4, [8], "tanh", 3, "softmax"), PresetData.Iris(irisCsv),
                seed => new() { Epochs = 40_000, LearningRate = 0.02, Optimizer = "adam", BatchSize = 16, Seed = seed, ValidationSplit = 0.2 }),
            new("deepSigmoid", Deep("sigmoid", "xavier"), circles,
                seed => new() { Epochs = 15_000, LearningRate = 0.1, Optimizer = "sgd", BatchSize = 32, Seed = seed }),
            new("deepRelu", Deep("relu", "he"), circles,
                seed => new() { Epochs = 15_000, LearningRate = 0.01, Optimizer = "sgd", BatchSize = 32, Seed = seed }),
        ];
    }

    private static LayeredNetworkDefinition Layered(int inputs, int[] hidden, string activation, int outputs, string outputActivation) =>
        new(inputs, [.. hidden.Select(units => new LayerDefinition(units, activation)), new LayerDefinition(outputs, outputActivation)],
            outputActivation == "softmax" ? "cross_entropy" : "binary_cross_entropy");

    private static LayeredNetworkDefinition Deep(string activation, string init) =>
        new(2, [.. Enumerable.Range(0, 8).Select(_ => new LayerDefinition(8, activation, init)), new LayerDefinition(1, "sigmoid")],
            "binary_cross_entropy");

    private static TrainingData XorData() => new([0, 0, 0, 1, 1, 0, 1, 1], [0, 1, 1, 0], 4, 2, 1);
}
