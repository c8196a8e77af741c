using BackpropService.Engine.Graphs;

namespace BackpropService.Engine.Tests.Explanations;

/// <summary>Explainer: gradients by reverse mode against finite differences and the seed's closed form; integrated gradients' completeness.</summary>
public class ExplainerTests
{
    private static readonly double[][] Rows = [[0.3, -0.7], [1.2, 0.4], [-0.5, -1.1]];

    [Fact]
    public void GradientsMatchCentralDifferencesForEveryOutputColumn()
    {
        var (network, parameters) = Layered(1, [(4, "tanh"), (3, "sigmoid")], "binary_cross_entropy");
        var explainer = new Explainer(network, parameters);
        for (var column = 0; column < 3; column++)
        {
            var explanation = explainer.Explain(Rows, AttributionMethod.Gradient, column, null, 1);
            Assert.Equal([column, column, column], explanation.ExplainedOutputs);
            for (var r = 0; r < Rows.Length; r++)
                for (var c = 0; c < 2; c++)
                {
                    const double h = 1e-5;
                    var plus = (double[])Rows[r].Clone();
                    var minus = (double[])Rows[r].Clone();
                    plus[c] += h;
                    minus[c] -= h;
                    var outputs = explainer.Explain([plus, minus], AttributionMethod.Gradient, column, null, 1).Outputs;
                    var numeric = (outputs[0][column] - outputs[1][column]) / (2 * h);
                    Assert.Equal(numeric, explanation.Attributions[r][c], 1e-8);
                }
        }
    }

    [Fact]
    public void GradientTimesInputIsTheGradientTimesTheInput()
    {
        var (network, parameters) = Layered(2, [(3, "relu"), (1, "identity")], "mse");
        var explainer = new Explainer(network, parameters);
        var gradient = explainer.Explain(Rows, AttributionMethod.Gradient, null, null, 1);
        var product = explainer.Explain(Rows, AttributionMethod.GradientXInput, null, null, 1);
        for (var r = 0; r < Rows.Length; r++)
            for (var c = 0; c < 2; c++)
                Assert.Equal(gradient.Attributions[r][c] * Rows[r][c], product.Attributions[r][c], 1e-15);
        Assert.Equal(gradient.Outputs, product.Outputs);
    }

    [Fact]
    public void TheSeedsXorNetsInputGradientIsTheChainRulesClosedForm()
    {
        double[][] theta1 = [[5.1, -3.2], [4.7, 2.9]];
        double[] bias1 = [-2.4, -5.6];
        double[][] theta2 = [[7.3], [-6.8]];
        double[] bias2 = [-1.9];
        var network = Network.FromLayers(XorNetwork.Definition(theta1, bias1, theta2, bias2));
        NamedTensor[] parameters =
        [
            new("layers.0.weights", new([2, 2], theta1.SelectMany(r => r).ToArray())), new("layers.0.bias", new([2], bias1)),
            new("layers.1.weights", new([2, 1], theta2.SelectMany(r => r).ToArray())), new("layers.1.bias", new([1], bias2)),
        ];
        var explanation = new Explainer(network, parameters).Explain(XorNetwork.Features, AttributionMethod.Gradient, null, null, 1);

        static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
        for (var r = 0; r < 4; r++)
        {
            var x = XorNetwork.Features[r];
            // L2 = σ(x·θ1 + b1), L3 = σ(L2·θ2 + b2); dL3/dx_i = L3(1 − L3) Σ_j θ2_j L2_j(1 − L2_j) θ1_ij.
            var l2 = Enumerable.Range(0, 2).Select(j => Sigmoid(x[0] * theta1[0][j] + x[1] * theta1[1][j] + bias1[j])).ToArray();
            var l3 = Sigmoid(l2[0] * theta2[0][0] + l2[1] * theta2[1][0] + bias2[0]);
            Assert.Equal(l3, explanation.Outputs[r][0], 1e-14);
            for (var i = 0; i < 2; i++)
            {
                var expected = l3 * (1 - l3) * Enumerable.Range(0, 2).Sum(j => theta2[j][0] * l2[j] * (1 - l2[j]) * theta1[i][j]);
                Assert.Equal(expected, explanation.Attributions[r][i], 1e-14);
            }
        }
    }

    [Fact]
    public void IntegratedGradientsAddUpToTheOutputsChangeWithinTheTrapezoidsError()
    {
        var (network, parameters) = Layered(3, [(5, "tanh"), (4, "tanh"), (1, "identity")], "mse");
        var explainer = new Explainer(network, parameters);
        double[] baseline = [0.2, -0.3];
        var atBaseline = explainer.Explain([baseline], AttributionMethod.Gradient, 0, null, 1).Outputs[0][0];
        double Error(int steps, int row)
        {
            var explanation = explainer.Explain(Rows, AttributionMethod.IntegratedGradients, 0, baseline, steps);
            return explanation.Attributions[row].Sum() - (explanation.Outputs[row][0] - atBaseline);
        }

        for (var r = 0; r < Rows.Length; r++)
        {
            var coarse = Error(16, r);
            var fine = Error(64, r);
            Assert.True(Math.Abs(fine) < 1e-3, $"row {r}: completeness error {fine} with 64 steps");
            // The trapezoid's error falls as 1/steps² for a smooth path: 4× the steps, 16× less error.
            Assert.InRange(coarse / fine, 14.0, 18.0);
        }
    }

    [Fact]
    public void IntegratedGradientsOfALinearNetworkAreExactWithOneStep()
    {
        var (network, parameters) = Layered(4, [(3, "identity"), (2, "identity")], "mse");
        var explainer = new Explainer(network, parameters);
        var gradient = explainer.Explain(Rows, AttributionMethod.Gradient, 1, null, 1);
        var integrated = explainer.Explain(Rows, AttributionMethod.IntegratedGradients, 1, null, 1);
        for (var r = 0; r < Rows.Length; r++)
            for (var c = 0; c < 2; c++)
                Assert.Equal(gradient.Attributions[r][c] * Rows[r][c], integrated.Attributions[r][c], 1e-12);
    }

    [Fact]
    public void ASoftmaxNetworkExplainsEachRowsPredictedClassByDefault()
    {
        var (network, parameters) = Layered(5, [(6, "tanh"), (3, "softmax")], "cross_entropy");
        var explainer = new Explainer(network, parameters);
        var random = new Random(11);
        var rows = Enumerable.Range(0, 40).Select(_ => new[] { random.NextDouble() * 6 - 3, random.NextDouble() * 6 - 3 }).ToArray();
        var explanation = explainer.Explain(rows, AttributionMethod.Gradient, null, null, 1);

        var classes = explanation.Outputs.Select(o => Array.IndexOf(o, o.Max())).ToArray();
        Assert.Equal(classes, explanation.ExplainedOutputs);
        Assert.True(classes.Distinct().Count() > 1, "the rows should not all predict one class");
        for (var r = 0; r < rows.Length; r++)
            Assert.Equal(explainer.Explain([rows[r]], AttributionMethod.Gradient, classes[r], null, 1).Attributions[0], explanation.Attributions[r]);
        Assert.True(Explainer.ExplainsPredictedClass(network));
        Assert.False(Explainer.ExplainsPredictedClass(XorNetwork.Create()));
    }

    [Fact]
    public void AGraphFormNetworksGradientIsItsDerivative()
    {
        // f(x) = sin(x²) per element; df/dx = 2x·cos(x²).
        var network = Network.FromGraph(new GraphDefinition(
            [Nodes.Input("x", 2), Nodes.Op("h", "square", "x"), Nodes.Op("f", "sin", "h")], "f"));
        var explanation = new Explainer(network, []).Explain(Rows, AttributionMethod.Gradient, 1, null, 1);
        for (var r = 0; r < Rows.Length; r++)
        {
            var x = Rows[r][1];
            Assert.Equal([0, 2 * x * Math.Cos(x * x)], explanation.Attributions[r]);
            Assert.Equal(Math.Sin(x * x), explanation.Outputs[r][1]);
        }
    }

    [Fact]
    public void AnOutputThatMixesRowsIsRejectedNamingTheNode()
    {
        var network = Network.FromGraph(new GraphDefinition(
            [Nodes.Input("x", 2), Nodes.Op("s", "sum", "x"), Nodes.Op("f", "mul", "x", "s")], "f"));
        var error = Assert.Throws<ArgumentException>(() => Explainer.OutputWidth(network, 2));
        Assert.Contains("'s' (sum)", error.Message);
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        var explainer = new Explainer(XorNetwork.Create(), Evaluation.GraphEvaluatorTests.Parameters());
        Assert.Throws<ArgumentException>(() => explainer.Explain([[1, 2, 3]], AttributionMethod.Gradient, null, null, 1));
        Assert.Throws<ArgumentException>(() => explainer.Explain([[1, double.NaN]], AttributionMethod.Gradient, null, null, 1));
        Assert.Throws<ArgumentException>(() => explainer.Explain([[1, 2]], AttributionMethod.IntegratedGradients, null, [0], 4));
        Assert.Throws<ArgumentException>(() => explainer.Explain([[1, 2]], AttributionMethod.IntegratedGradients, null, null, 0));
        Assert.Throws<ArgumentException>(() => explainer.Explain([[1, 2]], AttributionMethod.Gradient, 1, null, 1));
    }

    /// <summary>A 2-input layered network with seeded random weights and biases (the same for a seed).</summary>
    private static (Network Network, NamedTensor[] Parameters) Layered(int seed, (int Units, string Activation)[] layers, string loss)
    {
        var random = new Random(seed);
        var parameters = new List<NamedTensor>();
        var width = 2;
        for (var i = 0; i < layers.Length; i++)
        {
            parameters.Add(new($"layers.{i}.weights", Nodes.Random(random, [width, layers[i].Units])));
            parameters.Add(new($"layers.{i}.bias", Nodes.Random(random, [layers[i].Units], -0.5, 0.5)));
            width = layers[i].Units;
        }
        var network = Network.FromLayers(new LayeredNetworkDefinition(2, layers.Select(l => new LayerDefinition(l.Units, l.Activation)).ToArray(), loss));
        return (network, parameters.ToArray());
    }
}
