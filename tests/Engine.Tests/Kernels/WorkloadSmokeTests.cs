using BackpropService.Engine.Graphs;

namespace BackpropService.Engine.Tests.Kernels;

/// <summary>
/// CI smoke run of the benchmark workloads' code path (bench/Engine.Benchmarks, issue 5) at tiny sizes: the same
/// layer kinds, losses, batching and SGD through TrainingSession, one product large enough for the packed GEMM,
/// and the allocation budget of a warmed-up run (nothing per step, nothing per epoch: EpochReport is a struct).
/// </summary>
public class WorkloadSmokeTests
{
    public static TheoryData<string, int, int[], string[], string, int, int?> Workloads() => new()
    {
        { "xor", 2, [2, 1], ["sigmoid", "sigmoid"], "binary_cross_entropy", 4, null },
        { "small", 2, [16, 16, 1], ["tanh", "tanh", "sigmoid"], "binary_cross_entropy", 40, 8 },
        { "mnist", 48, [32, 10], ["relu", "softmax"], "cross_entropy", 64, 16 },        // 16×48·48×32: packed GEMM
        { "wide", 40, [40, 40, 10], ["tanh", "tanh", "softmax"], "cross_entropy", 48, 16 }, // 16×40·40×40: packed GEMM
    };

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Workload_trains_and_is_deterministic(string name, int inputs, int[] units, string[] activations, string loss, int rows, int? batch)
    {
        var (network, data) = Create(inputs, units, activations, loss, rows);
        var settings = new TrainingSettings { Epochs = 5, LearningRate = 0.05, BatchSize = batch, Seed = 7 };
        var first = Train(network, data, settings, out var costs);
        var second = Train(network, data, settings, out _);
        Assert.True(costs.Count == 5 && costs.All(double.IsFinite), $"{name}: costs {string.Join(", ", costs)}");
        for (var i = 0; i < first.Count; i++) Assert.Equal(first[i].Value.Values, second[i].Value.Values);
    }

    [Fact]
    public void Warmed_up_training_allocates_nothing_per_step()
    {
        // small: 40 rows in batches of 8 = 5 steps per epoch; neither a step nor an epoch's report allocates.
        var (network, data) = Create(2, [16, 16, 1], ["tanh", "tanh", "sigmoid"], "binary_cross_entropy", 40);
        long Allocated(int epochs)
        {
            var session = TrainingSession.Start(network, data, new TrainingSettings { Epochs = epochs, LearningRate = 0.05, BatchSize = 8, Seed = 1 });
            var before = GC.GetAllocatedBytesForCurrentThread();
            session.Run(static _ => { }, CancellationToken.None);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Allocated(200); // warm-up: JIT, packing buffers
        var extra = Allocated(1200) - Allocated(200);
        Assert.True(extra <= 1024, $"1000 more epochs (5000 steps) allocated {extra} bytes");
    }

    private static List<NamedTensor> Train(Network network, TrainingData data, TrainingSettings settings, out List<double> costs)
    {
        var seen = new List<double>();
        var session = TrainingSession.Start(network, data, settings);
        session.Run(report => seen.Add(report.Cost), CancellationToken.None);
        costs = seen;
        return session.Parameters().ToList();
    }

    private static (Network, TrainingData) Create(int inputs, int[] units, string[] activations, string loss, int rows)
    {
        var network = Network.FromLayers(new LayeredNetworkDefinition(inputs,
            units.Select((u, i) => new LayerDefinition(u, activations[i])).ToArray(), loss));
        var random = new Random(5);
        var outputs = units[^1];
        var features = Enumerable.Range(0, rows * inputs).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var targets = new float[rows * outputs];
        for (var r = 0; r < rows; r++)
            if (loss == "cross_entropy") targets[r * outputs + random.Next(outputs)] = 1;
            else for (var j = 0; j < outputs; j++) targets[r * outputs + j] = random.Next(2);
        return (network, new TrainingData(features, targets, rows, inputs, outputs));
    }
}
