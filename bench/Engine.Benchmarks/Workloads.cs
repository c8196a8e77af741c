using BackpropService.Engine.Graphs;

namespace BackpropService.Engine.Benchmarks;

/// <summary>
/// The four workloads of issue 5, the same shapes bench/compare_torch.py builds in PyTorch: seeded random data,
/// float32, SGD. <see cref="Tiny"/> shrinks the data (not the code path) for the CI smoke run.
/// </summary>
public sealed record Workload(string Name, string Unit, int Inputs, int[] Units, string[] Activations, string Loss,
    int Rows, int? BatchSize, double LearningRate)
{
    public static IReadOnlyList<Workload> All { get; } =
    [
        new("xor", "epochs/s", 2, [2, 1], ["sigmoid", "sigmoid"], "binary_cross_entropy", 4, null, 0.5),
        new("small", "samples/s", 2, [16, 16, 1], ["tanh", "tanh", "sigmoid"], "binary_cross_entropy", 1000, 32, 0.1),
        new("mnist", "samples/s", 784, [128, 10], ["relu", "softmax"], "cross_entropy", 6400, 64, 0.01),
        new("wide", "samples/s", 1024, [1024, 1024, 10], ["tanh", "tanh", "softmax"], "cross_entropy", 2048, 256, 0.01),
    ];

    public static Workload ByName(string name) => All.First(w => w.Name == name);

    /// <summary>The same layers and code path with few rows and narrow layers, for a smoke run.</summary>
    public Workload Tiny() => this with
    {
        Inputs = Math.Min(Inputs, 8),
        Units = Units.Select((u, i) => i == Units.Length - 1 ? u : Math.Min(u, 8)).ToArray(),
        Rows = Math.Min(Rows, 8),
        BatchSize = BatchSize is null ? null : Math.Min(BatchSize.Value, 4),
    };

    public Network CreateNetwork() => Network.FromLayers(new LayeredNetworkDefinition(Inputs,
        Units.Select((u, i) => new LayerDefinition(u, Activations[i])).ToArray(), Loss));

    /// <summary>XOR's truth table, or seeded random features in [-1, 1) with binary (BCE) or one-hot (CE) targets.</summary>
    public TrainingData CreateData()
    {
        var outputs = Units[^1];
        if (Name == "xor") return new TrainingData([0, 0, 0, 1, 1, 0, 1, 1], [0, 1, 1, 0], 4, 2, 1);
        var random = new Random(1234);
        var features = new float[Rows * Inputs];
        for (var i = 0; i < features.Length; i++) features[i] = (float)(random.NextDouble() * 2 - 1);
        var targets = new float[Rows * outputs];
        for (var r = 0; r < Rows; r++)
        {
            if (Loss == "cross_entropy") targets[r * outputs + random.Next(outputs)] = 1;
            else for (var j = 0; j < outputs; j++) targets[r * outputs + j] = random.Next(2);
        }
        return new TrainingData(features, targets, Rows, Inputs, outputs);
    }

    public TrainingSettings Settings(int epochs) => new()
    {
        Epochs = epochs, LearningRate = LearningRate, Optimizer = "sgd", BatchSize = BatchSize, Seed = 42,
    };

    /// <summary>Samples (rows) per epoch: what one epoch's rate is multiplied by for samples/s.</summary>
    public double PerEpoch => Unit == "epochs/s" ? 1 : Rows;
}
