namespace BackpropService.Engine.Tests.Training;

/// <summary>recordGradientNorms: each parameter's gradient L2 norm of the epoch's last batch, before clipping; none when off.</summary>
public class GradientNormsTests
{
    private static readonly TrainingSettings Xor = new() { Epochs = 3, LearningRate = 0.5, Seed = 4, RecordGradientNorms = true };

    [Fact]
    public void TheFirstEpochsNormsAreThoseOfTheLossGradientAtTheInitialWeightsByFiniteDifferences()
    {
        var network = XorNetwork.Create();
        var session = TrainingSession.Start(network, XorNetwork.Data(), Xor);
        var initial = session.Parameters();
        var first = TrainingSessionTests.Train(session).History[0].GradientNorms!;

        Assert.Equal(initial.Select(p => p.Name), first.Names);
        for (var i = 0; i < initial.Count; i++)
        {
            var gradient = NumericGradient(initial, i);
            var expected = Math.Sqrt(gradient.Sum(g => g * g));
            Assert.True(Math.Abs(first.Values[i] - expected) <= 1e-3 * expected + 1e-6,
                $"{first.Names[i]}: norm {first.Values[i]} but finite differences give {expected}");
        }
    }

    [Fact]
    public void NormsAreTakenBeforeClippingAndAbsentWhenOff()
    {
        var network = XorNetwork.Create();
        var plain = TrainingSessionTests.Train(TrainingSession.Start(network, XorNetwork.Data(), Xor)).History;
        var clipped = TrainingSessionTests.Train(TrainingSession.Start(network, XorNetwork.Data(), Xor with { ClipGradNorm = 1e-4 })).History;
        var off = TrainingSessionTests.Train(TrainingSession.Start(network, XorNetwork.Data(), Xor with { RecordGradientNorms = false })).History;

        // Epoch 1 starts from the same weights either way; clipping then changes the updates, not the recorded norms.
        Assert.Equal(plain[0].GradientNorms!.Values, clipped[0].GradientNorms!.Values);
        Assert.All(clipped[0].GradientNorms!.Values, v => Assert.True(v > 1e-4));
        Assert.All(off, r => Assert.Null(r.GradientNorms));
        Assert.Equal(plain.Select(r => r.Cost), off.Select(r => r.Cost));
    }

    [Fact]
    public void InAnEightLayerSigmoidNetTheFirstLayersGradientIsFarSmallerThanTheLastsButNotWithReluAndHe()
    {
        var data = TrainingSessionTests.QuadrantData(64);
        var settings = new TrainingSettings { Epochs = 1, LearningRate = 0.1, Seed = 42, RecordGradientNorms = true };
        double Ratio(string activation, string init)
        {
            var layers = Enumerable.Range(0, 8).Select(_ => new BackpropService.Engine.Graphs.LayerDefinition(8, activation, init)).Append(new BackpropService.Engine.Graphs.LayerDefinition(1, "sigmoid")).ToArray();
            var norms = TrainingSessionTests.Train(TrainingSession.Start(Network.FromLayers(new(2, layers, "binary_cross_entropy")), data, settings)).History[0].GradientNorms!;
            return norms.Values[norms.Names.ToList().IndexOf("layers.0.weights")] / norms.Values[norms.Names.ToList().IndexOf("layers.8.weights")];
        }

        var sigmoid = Ratio("sigmoid", "xavier");
        var relu = Ratio("relu", "he");
        Assert.True(sigmoid < 1e-3, $"sigmoid: first/last layer gradient norm {sigmoid}");
        Assert.True(relu > 100 * sigmoid, $"relu/he {relu} vs sigmoid {sigmoid}");
    }

    /// <summary>The 2-2-1 sigmoid net in double: weights [input, unit] row-major, then bias, per layer.</summary>
    private static double XorOutput(double[][] p, double[] x)
    {
        static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
        var h0 = Sigmoid(x[0] * p[0][0] + x[1] * p[0][2] + p[1][0]);
        var h1 = Sigmoid(x[0] * p[0][1] + x[1] * p[0][3] + p[1][1]);
        return Sigmoid(h0 * p[2][0] + h1 * p[2][1] + p[3][0]);
    }

    /// <summary>dC/dθ of parameter <paramref name="index"/> by central differences of XOR's mean binary cross-entropy, in double.</summary>
    private static double[] NumericGradient(IReadOnlyList<NamedTensor> parameters, int index)
    {
        const double h = 1e-5;
        var values = parameters[index].Value.Values;
        var gradient = new double[values.Length];
        for (var k = 0; k < values.Length; k++)
        {
            double CostWith(double delta)
            {
                var shifted = (double[])values.Clone();
                shifted[k] += delta;
                var trial = parameters.Select((p, i) => i == index ? shifted : p.Value.Values).ToArray();
                return -XorNetwork.Features.Select((x, r) =>
                {
                    var o = XorOutput(trial, x);
                    return XorNetwork.Targets[r] * Math.Log(o) + (1 - XorNetwork.Targets[r]) * Math.Log(1 - o);
                }).Average();
            }
            gradient[k] = (CostWith(h) - CostWith(-h)) / (2 * h);
        }
        return gradient;
    }
}
