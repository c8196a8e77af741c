using BackpropService.Engine.Graphs;

namespace BackpropService.Engine.Benchmarks.Initialisation;

/// <summary>
/// The seed's own example (issue 13 item 7): 2-2-1 sigmoid, binary cross-entropy, full-batch SGD at learning rate 0.5
/// for 10,000 epochs (or <c>epochs</c>). Converged = all four outputs on the right side of 0.5 and the last epoch's cost below 0.1.
/// </summary>
internal static class XorSurvey
{
    public static readonly LayeredNetworkDefinition Network =
        new(2, [new LayerDefinition(2, "sigmoid"), new LayerDefinition(1, "sigmoid")], "binary_cross_entropy");

    private static readonly double[][] Features = [[0, 0], [0, 1], [1, 0], [1, 1]];
    private static readonly double[] Targets = [0, 1, 1, 0];

    private static readonly TrainingData Data = new(
        Features.SelectMany(r => r).Select(v => (float)v).ToArray(), Targets.Select(v => (float)v).ToArray(), 4, 2, 1);

    /// <summary>Which of seeds 1..<paramref name="seeds"/> converge; null candidate = the engine's own cold start.</summary>
    public static bool[] Converged(InitCandidate? candidate, int seeds, int epochs = 10_000)
    {
        var network = BackpropService.Engine.Network.FromLayers(Network);
        var results = new bool[seeds];
        for (var s = 1; s <= seeds; s++)
        {
            var settings = new TrainingSettings { Epochs = epochs, LearningRate = 0.5, Optimizer = "sgd", Seed = (ulong)s };
            var initial = candidate is null ? null : InitialValues.Draw(candidate, Network, (ulong)s);
            var session = TrainingSession.Start(network, Data, settings, initial);
            var cost = double.NaN;
            if (session.Run(r => cost = r.Cost, CancellationToken.None) != TrainingOutcome.Completed) continue;
            var outputs = new Predictor(network, session.Parameters()).Predict(Features);
            results[s - 1] = cost < 0.1 && outputs.Select((o, i) => o[0] > 0.5 == Targets[i] > 0.5).All(right => right);
        }
        return results;
    }
}
