using System.Globalization;
using BackpropService.Engine;
using BackpropService.Engine.Graphs;

namespace BackpropService.Service.Benchmarks;

/// <summary>
/// The mnist-like job, defined once so the service and the bare engine train the same thing: 784 inputs, a 128-unit
/// ReLU layer, a 10-unit softmax output with (softmax) cross-entropy, batch 64, SGD, seed 42. The shapes and learning
/// rate are bench/Engine.Benchmarks' "mnist" workload, so figures compare with docs/performance.md.
/// </summary>
internal static class MnistLikeJob
{
    public const int Inputs = 784, Hidden = 128, Classes = 10, BatchSize = 64;
    public const double LearningRate = 0.01;
    public const ulong Seed = 42;

    /// <summary>An epoch of 2,048 rows took ~7.6 ms alone on the bare engine on the 2-core host (a smoke run, machine
    /// shared), so a job takes ~1.5 s: long enough that a job's fixed costs (loading the dataset, the first checkpoint)
    /// weigh as they would in real use, short enough for several pairs. The service's Limits:MaxJobWork
    /// (epochs × rows × parameters ≤ 1e12, 101,770 parameters here) allows up to ~4,800.</summary>
    public const int DefaultEpochs = 200;

    // docs/API.md: "relu", "softmax" (last layer only), and "cross_entropy" (categorical, with a softmax output); the
    // engine fuses that softmax + cross-entropy pair into one op (src/Engine/Graphs/LossFusion.cs) on both sides.
    public const string NetworkJson = """
        { "name": "mnist-like", "inputs": 784,
          "layers": [ { "units": 128, "activation": "relu" }, { "units": 10, "activation": "softmax" } ],
          "loss": "cross_entropy" }
        """;

    /// <summary>The job body; <paramref name="gradientNorms"/> is `recordGradientNorms` (bench option --gradient-norms).</summary>
    public static string JobJson(string networkId, string datasetId, int epochs, bool gradientNorms) => string.Create(CultureInfo.InvariantCulture,
        $$"""{ "networkId": "{{networkId}}", "datasetId": "{{datasetId}}", "epochs": {{epochs}}, "learningRate": {{LearningRate}}, "optimizer": "sgd", "batchSize": {{BatchSize}}, "seed": {{Seed}}, "recordGradientNorms": {{(gradientNorms ? "true" : "false")}} }""");

    /// <summary>The engine's side of <see cref="NetworkJson"/>: the same layers, so the same graph and default inits.</summary>
    public static Network CreateNetwork() => Network.FromLayers(new LayeredNetworkDefinition(Inputs,
        [new LayerDefinition(Hidden, "relu"), new LayerDefinition(Classes, "softmax")], "cross_entropy"));

    /// <summary>The engine's side of <see cref="JobJson"/> (shuffle left to its default, as the job leaves it).</summary>
    public static TrainingSettings Settings(int epochs, bool gradientNorms) => new()
    {
        Epochs = epochs, LearningRate = LearningRate, Optimizer = "sgd", BatchSize = BatchSize, Seed = Seed,
        RecordGradientNorms = gradientNorms,
    };
}
