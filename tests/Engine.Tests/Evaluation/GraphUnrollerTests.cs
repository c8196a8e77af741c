using BackpropService.Engine.Graphs;
using BackpropService.Engine.Tests.Graphs;
using BackpropService.Engine.Training;

namespace BackpropService.Engine.Tests.Evaluation;

public class GraphUnrollerTests
{
    private static readonly double[] Features = [1, 0];
    private static readonly double[] Targets = [1];

    private static GraphEvaluation Unrolled() =>
        GraphEvaluator.EvaluateRow(XorNetwork.Create(), GraphEvaluatorTests.Parameters(), Features, Targets, unroll: true, maxNodes: 500);

    private static GraphEvaluation Tensors() =>
        GraphEvaluator.EvaluateRow(XorNetwork.Create(), GraphEvaluatorTests.Parameters(), Features, Targets, unroll: false, maxNodes: 500);

    /// <summary>Σ over every path from <paramref name="node"/> to the root of the product of the local derivatives on it,
    /// enumerating the paths one by one (the XOR net has few), as the chain rule's textbook statement reads.</summary>
    private static (double Sum, int Paths) SumOverPaths(GraphEvaluation evaluation, string node, string root)
    {
        var outgoing = evaluation.Edges.ToLookup(e => e.From);
        var (sum, paths) = (0.0, 0);
        var stack = new Stack<(string Node, double Product)>();
        stack.Push((node, 1.0));
        while (stack.Count > 0)
        {
            var (at, product) = stack.Pop();
            if (at == root)
            {
                sum += product;
                paths++;
                continue;
            }
            foreach (var edge in outgoing[at]) stack.Push((edge.To, product * edge.LocalDerivative!.Value));
        }
        return (sum, paths);
    }

    [Fact]
    public void EveryEdgeOfTheUnrolledXorNetHasALocalDerivative()
    {
        var evaluation = Unrolled();
        Assert.NotEmpty(evaluation.Edges);
        Assert.All(evaluation.Edges, edge => Assert.NotNull(edge.LocalDerivative));
        Assert.All(evaluation.Nodes, node => Assert.Empty(node.Shape));
    }

    [Fact]
    public void UnrolledLossEqualsTheTensorViewsLoss() =>
        Assert.Equal(Tensors().Value.Values[0], Unrolled().Value.Values[0], 1e-14);

    [Theory]
    [InlineData("layers.0.weights", 2, 2)]
    [InlineData("layers.0.bias", 0, 2)]
    [InlineData("layers.1.weights", 2, 1)]
    [InlineData("layers.1.bias", 0, 1)]
    public void SumOverPathsOfEdgeProductsIsEachParameterElementsGradientInBothViews(string parameter, int rows, int cols)
    {
        var unrolled = Unrolled();
        var tensors = Tensors().Gradients[parameter].Values;
        for (var k = 0; k < tensors.Length; k++)
        {
            var element = rows == 0 ? $"{parameter}[{k}]" : $"{parameter}[{k / cols},{k % cols}]";
            var (sum, paths) = SumOverPaths(unrolled, element, "loss");
            Assert.True(paths >= 1, $"No path from {element} to the loss.");
            Assert.Equal(unrolled.Gradients[element].Values[0], sum, 1e-14);
            Assert.Equal(tensors[k], sum, 1e-14);
        }
    }

    [Fact]
    public void HiddenWeightReachesTheLossThroughOnePathAndTheInputsThroughTwo()
    {
        var unrolled = Unrolled();
        Assert.Equal(1, SumOverPaths(unrolled, "layers.0.weights[0,1]", "loss").Paths);
        Assert.Equal(2, SumOverPaths(unrolled, "x[0,0]", "loss").Paths);
    }

    [Fact]
    public void UnrolledSoftmaxNetMatchesTheTensorView()
    {
        var network = Network.FromLayers(new(2, [new(3, "tanh"), new(3, "softmax")], "cross_entropy"));
        var session = TrainingSession.Start(network, new([0.5f, -1], [0, 1, 0], 1, 2, 3), new() { Epochs = 1, Seed = 4 });
        var parameters = session.Parameters();
        var unrolled = GraphEvaluator.EvaluateRow(network, parameters, [0.5, -1], [0, 1, 0], unroll: true, maxNodes: 500);
        var tensors = GraphEvaluator.EvaluateRow(network, parameters, [0.5, -1], [0, 1, 0], unroll: false, maxNodes: 500);
        Assert.Equal(tensors.Value.Values[0], unrolled.Value.Values[0], 1e-13);
        var weights = tensors.Gradients["layers.1.weights"].Values;
        for (var k = 0; k < weights.Length; k++)
            Assert.Equal(weights[k], unrolled.Gradients[$"layers.1.weights[{k / 3},{k % 3}]"].Values[0], 1e-13);
    }

    [Theory]
    [InlineData(1, "identity", 1, "mse")]
    [InlineData(1, "relu", 2, "mse")]
    [InlineData(3, "leaky_relu", 2, "mse")]
    [InlineData(2, "tanh", 1, "binary_cross_entropy")]
    public void UnrolledLayeredNetMatchesTheTensorView(int inputs, string activation, int outputs, string loss)
    {
        // One input makes every product's inner dimension 1 (no partial sums); ReLUs see both signs.
        var network = Network.FromLayers(new(inputs, [new(3, activation), new(outputs, outputs == 1 && loss != "mse" ? "sigmoid" : "identity")], loss));
        var features = Enumerable.Range(0, inputs).Select(i => 0.7 - 0.6 * i).ToArray();
        var targets = Enumerable.Range(0, outputs).Select(i => i % 2 == 0 ? 1.0 : 0.0).ToArray();
        var data = new TrainingData(features.Select(v => (float)v).ToArray(), targets.Select(v => (float)v).ToArray(), 1, inputs, outputs);
        var parameters = TrainingSession.Start(network, data, new() { Epochs = 1, Seed = 21 }).Parameters();

        var tensors = GraphEvaluator.EvaluateRow(network, parameters, features, targets, unroll: false, maxNodes: 500);
        var unrolled = GraphEvaluator.EvaluateRow(network, parameters, features, targets, unroll: true, maxNodes: 500);
        Assert.Equal(tensors.Value.Values[0], unrolled.Value.Values[0], 1e-13);
        foreach (var parameter in network.Parameters)
        {
            var expected = tensors.Gradients[parameter.Name];
            for (var k = 0; k < expected.Values.Length; k++)
            {
                var element = parameter.Dimensions.Length == 1 ? $"{parameter.Name}[{k}]" : $"{parameter.Name}[{k / expected.Shape.Cols},{k % expected.Shape.Cols}]";
                Assert.Equal(expected.Values[k], unrolled.Gradients[element].Values[0], 1e-13);
            }
        }
    }

    public static TheoryData<int> Seeds => new(Enumerable.Range(0, 50));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void UnrolledRandomGraphHasTheTensorViewsValueAndGradients(int seed)
    {
        // Every op family, broadcasting and shared subexpressions, expanded one scalar per node.
        var network = Network.FromGraph(RandomGraph.Create(seed));
        var parameters = ParameterSet<double>.Initialize(network.Validated, new Rng(0)).ToNamedTensors();
        var leaves = new Dictionary<string, TensorData>();
        var tensors = GraphEvaluator.Evaluate(network, leaves, parameters, "root");
        var unrolled = GraphUnroller.Unroll(network, leaves, parameters, maxNodes: 100_000);
        var scalars = GraphEvaluator.Evaluate(Network.FromGraph(unrolled.Graph), unrolled.LeafValues, null, "root");

        Assert.Equal(tensors.Value.Values[0], scalars.Value.Values[0], 1e-10 * (1 + Math.Abs(tensors.Value.Values[0])));
        Assert.All(scalars.Edges, edge => Assert.NotNull(edge.LocalDerivative));
        foreach (var parameter in network.Parameters)
        {
            var expected = tensors.Gradients[parameter.Name];
            var shape = expected.Shape;
            for (var k = 0; k < shape.Length; k++)
            {
                var element = shape.Rank switch { 0 => parameter.Name, 1 => $"{parameter.Name}[{k}]", _ => $"{parameter.Name}[{k / shape.Cols},{k % shape.Cols}]" };
                var actual = scalars.Gradients[element].Values[0];
                Assert.True(Math.Abs(expected.Values[k] - actual) <= 1e-9 * (1 + Math.Abs(expected.Values[k])),
                    $"d root / d {element}: tensor view {expected.Values[k]}, unrolled {actual}");
            }
        }
    }

    [Fact]
    public void NetworkTooLargeToUnrollIsRejected()
    {
        var network = Network.FromLayers(new(20, [new(20, "relu"), new(1, "sigmoid")], "binary_cross_entropy"));
        var session = TrainingSession.Start(network, new(new float[20], [1], 1, 20, 1), new() { Epochs = 1 });
        var error = Assert.Throws<ArgumentException>(() =>
            GraphEvaluator.EvaluateRow(network, session.Parameters(), new double[20], [1], unroll: true, maxNodes: 500));
        Assert.StartsWith("The unrolled graph would have more than 500 nodes (the limit for unroll=true)", error.Message);
        Assert.IsNotType<GraphValidationException>(error);
    }
}
