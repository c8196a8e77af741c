using BackpropService.Engine.Graphs;
using BackpropService.Engine.Training;

namespace BackpropService.Engine.Tests.Training;

/// <summary>
/// Accuracy per epoch: from the forward passes the cost is computed from (the weights entering the epoch, full
/// batch), validation accuracy after the epoch's last update, both as a predictor scores them; none for mse.
/// </summary>
public class AccuracyTests
{
    [Fact]
    public void BinaryCrossEntropyAccuracyIsThatOfTheWeightsEnteringTheEpochThresholdedAtAHalf()
    {
        var network = XorNetwork.Create();
        var settings = new TrainingSettings { Epochs = 2000, LearningRate = 0.5, Seed = 1 };
        var history = TrainingSessionTests.Train(TrainingSession.Start(network, XorNetwork.Data(), settings)).History;

        foreach (var epoch in new[] { 1, 500, 2000 })
        {
            // Epoch 1 enters with the initial weights: a session that has not run yet holds them.
            var before = TrainingSession.Start(network, XorNetwork.Data(), settings with { Epochs = Math.Max(1, epoch - 1) });
            if (epoch > 1) before.Run(_ => { }, CancellationToken.None);
            var outputs = new Predictor(network, before.Parameters()).Predict(XorNetwork.Features);
            var right = outputs.Where((o, i) => o[0] > 0.5 == XorNetwork.Targets[i] > 0.5).Count();
            Assert.Equal(right / 4.0, history[epoch - 1].Accuracy);
            Assert.Null(history[epoch - 1].ValidationAccuracy);
        }
        // Seed 1 solves XOR (TrainingSessionTests): the last epochs get every row right.
        Assert.Equal(1.0, history[^1].Accuracy);
    }

    [Fact]
    public void CrossEntropyAccuracyTakesEachRowsArgmaxOnTheTrainingAndValidationRows()
    {
        var network = Network.FromLayers(new(2, [new(8, "tanh"), new(3, "softmax")], "cross_entropy"));
        var (features, targets, data) = Sectors(40);
        var settings = new TrainingSettings { Epochs = 60, LearningRate = 0.5, Seed = 9, ValidationSplit = 0.25 };
        var last = TrainingSessionTests.Train(TrainingSession.Start(network, data, settings)).History[^1];

        // The split as the trainer draws it: after the parameters' initialisers, from the same seeded generator.
        var rng = new Rng(settings.Seed);
        ParameterSet<float>.Initialize(network.Validated, rng);
        var split = DataSplit.Create(data.Rows, settings.ValidationSplit, rng);
        Assert.Equal(Fraction(network, Trained(network, data, settings with { Epochs = 59 }), split.TrainingRows, features, targets), last.Accuracy);
        Assert.Equal(Fraction(network, Trained(network, data, settings), split.ValidationRows, features, targets), last.ValidationAccuracy);
        Assert.InRange(last.ValidationAccuracy!.Value, 0.5, 1.0); // learnt something: three sectors are separable
    }

    [Fact]
    public void MseHasNoAccuracy()
    {
        var network = Network.FromLayers(new(2, [new(2, "tanh"), new(1, "identity")], "mse"));
        var settings = new TrainingSettings { Epochs = 3, LearningRate = 0.1, Seed = 1, ValidationSplit = 0.5 };
        var history = TrainingSessionTests.Train(TrainingSession.Start(network, XorNetwork.Data(), settings)).History;
        Assert.All(history, r => Assert.Null(r.Accuracy));
        Assert.All(history, r => Assert.Null(r.ValidationAccuracy));
        Assert.All(history, r => Assert.NotNull(r.ValidationCost));
    }

    private static IReadOnlyList<NamedTensor> Trained(Network network, TrainingData data, TrainingSettings settings)
    {
        var session = TrainingSession.Start(network, data, settings);
        session.Run(_ => { }, CancellationToken.None);
        return session.Parameters();
    }

    private static double Fraction(Network network, IReadOnlyList<NamedTensor> parameters, int[] rows, double[][] features, int[] labels)
    {
        var outputs = new Predictor(network, parameters).Predict(rows.Select(r => features[r]).ToArray());
        var right = outputs.Where((o, i) => Array.IndexOf(o, o.Max()) == labels[rows[i]]).Count();
        return (double)right / rows.Length;
    }

    /// <summary>Points in the unit disc labelled by which third of the circle their angle falls in.</summary>
    private static (double[][] Features, int[] Labels, TrainingData Data) Sectors(int rows)
    {
        var random = new Random(5);
        var features = new double[rows][];
        var labels = new int[rows];
        for (var r = 0; r < rows; r++)
        {
            features[r] = [2 * random.NextDouble() - 1, 2 * random.NextDouble() - 1];
            labels[r] = (int)((Math.Atan2(features[r][1], features[r][0]) + Math.PI) / (2 * Math.PI / 3)) % 3;
        }
        var targets = labels.SelectMany(l => Enumerable.Range(0, 3).Select(c => c == l ? 1f : 0f)).ToArray();
        return (features, labels, new TrainingData(features.SelectMany(f => f).Select(v => (float)v).ToArray(), targets, rows, 2, 3));
    }
}
