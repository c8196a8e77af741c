using BackpropService.Engine.Graphs;
using BackpropService.Engine.Ops;
using BackpropService.Engine.Training;

namespace BackpropService.Engine.Tests.Graphs;

public class PlanTests
{
    public static TheoryData<int> Seeds => new(Enumerable.Range(0, 50));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void RandomGraphWithSharedSubexpressionsMatchesFiniteDifferences(int seed)
    {
        var definition = RandomGraph.Create(seed);
        var graph = GraphBuilder.Validate(definition);
        Assert.Contains(graph.ConsumerCounts, count => count >= 2);
        Assert.Contains(graph.Operands, operands => operands.Length == 2 && operands[0] == operands[1]);
        GradientCheck.Verify(definition, "root", relativeTolerance: 1e-5, absoluteTolerance: 1e-7);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void RandomGraphInFloat32AgreesWithFloat64(int seed) => AssertFloat32AgreesWithFloat64(RandomGraph.Create(seed));

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(33, 17, 9)]
    [InlineData(64, 40, 70)]
    [InlineData(5, 129, 3)]
    public void DenseLayerInFloat32AgreesWithFloat64(int rows, int inputs, int units)
    {
        // Odd sizes put the float32 GEMM's packed blocks, vector bodies and tails under the forward and both backward products.
        var random = new Random(rows * 1000 + inputs * 10 + units);
        AssertFloat32AgreesWithFloat64(new(
        [
            Nodes.Parameter("x", Nodes.Random(random, [rows, inputs])), Nodes.Parameter("w", Nodes.Random(random, [inputs, units], -0.3, 0.3)),
            Nodes.Parameter("b", Nodes.Random(random, [units])), Nodes.Op("xw", "matmul", "x", "w"), Nodes.Op("z", "add", "xw", "b"),
            Nodes.Op("h", "tanh", "z"), Nodes.Constant("k", Nodes.Random(random, [rows, units], 0.5, 1.5, signed: true)),
            Nodes.Op("weighted", "mul", "h", "k"), Nodes.Op("root", "sum", "weighted"),
        ], "root"));
    }

    [Fact]
    public void SquareMatrixTimesItselfInFloat32AgreesWithFloat64()
    {
        var random = new Random(12);
        AssertFloat32AgreesWithFloat64(new(
        [
            Nodes.Parameter("a", Nodes.Random(random, [9, 9])), Nodes.Op("aa", "matmul", "a", "a"),
            Nodes.Constant("k", Nodes.Random(random, [9, 9], 0.5, 1.5, signed: true)), Nodes.Op("weighted", "mul", "aa", "k"),
            Nodes.Op("root", "sum", "weighted"),
        ], "root"));
    }

    /// <summary>Training runs in float32 (its own kernels, e.g. the packed GEMM); it must compute the same function and gradient.</summary>
    private static void AssertFloat32AgreesWithFloat64(GraphDefinition definition)
    {
        var reference = GradientCheck.Compile(definition, "root");
        var graph = reference.Graph;
        var shapes = ShapeInference.Infer(graph, _ => null);
        var single = new Plan<float>(graph, shapes, ParameterSet<float>.Initialize(graph, new Rng(0)), reference.Root, GradientMode.All);
        single.Forward();
        single.Backward();

        var scale = 1 + Math.Abs(reference.RootValue);
        Assert.True(Math.Abs(single.RootValue - reference.RootValue) <= 1e-4 * scale, $"float32 {single.RootValue}, float64 {reference.RootValue}");
        foreach (var i in graph.IndicesOf(OpKind.Parameter).Where(i => reference.Gradients[i] is not null))
        {
            var expected = reference.Gradients[i]!.Data;
            var gradientScale = 1 + expected.Max(Math.Abs);
            var actual = single.Gradients[i]!.Data;
            for (var k = 0; k < expected.Length; k++)
                Assert.True(Math.Abs(actual[k] - expected[k]) <= 1e-4 * gradientScale,
                    $"d root / d {graph.Nodes[i].Id}[{k}]: float32 {actual[k]}, float64 {expected[k]}");
        }
    }

    [Fact]
    public void NodeUsedByThreeConsumersAccumulatesAllThreeGradients()
    {
        // root = sin(a) + a² + 3a: d root / d a = cos a + 2a + 3.
        var plan = GradientCheck.Compile(new(
        [
            Nodes.Parameter("a", Nodes.Scalar(0.7)), Nodes.Constant("three", 3),
            Nodes.Op("s", "sin", "a"), Nodes.Op("q", "square", "a"), Nodes.Op("t", "mul", "three", "a"),
            Nodes.Op("sq", "add", "s", "q"), Nodes.Op("root", "add", "sq", "t"),
        ], "root"), "root");
        Assert.Equal(Math.Cos(0.7) + 1.4 + 3, plan.Gradients[plan.Graph.IndexById["a"]]!.Data[0], 1e-15);
    }

    [Fact]
    public void BackwardTwiceGivesTheSameGradientsNotTheirSum()
    {
        var definition = RandomGraph.Create(7);
        var plan = GradientCheck.Compile(definition, "root");
        var first = plan.Gradients.Select(g => g?.Data.ToArray()).ToArray();
        plan.Forward();
        plan.Backward();
        for (var i = 0; i < first.Length; i++)
            if (first[i] is { } gradient) TensorAssert.BitwiseEqual(gradient, plan.Gradients[i]!.Data, plan.Graph.Nodes[i].Id);
    }

    [Theory]
    [InlineData("sigmoid", "binary_cross_entropy", 1)]
    [InlineData("softmax", "cross_entropy", 3)]
    public void FusedTrainingPlanGivesTheUnfusedChainsParameterGradients(string activation, string loss, int outputs)
    {
        var network = Network.FromLayers(new(3, [new(4, "tanh"), new(outputs, activation)], loss));
        var graph = network.Validated;
        var random = new Random(5);
        var x = Nodes.Random(random, [6, 3]);
        var y = outputs == 1
            ? Nodes.Random(random, [6, 1], 0, 1)
            : new TensorData([6, 3], Enumerable.Range(0, 18).Select(k => k % 3 == k / 3 % 3 ? 1.0 : 0).ToArray());
        var shapes = ShapeInference.Infer(graph, i => graph.Kinds[i] == OpKind.Input ? x.Shape : y.Shape);
        var parameters = ParameterSet<double>.Initialize(graph, new Rng(3));
        Plan<double> Compile(GradientMode mode)
        {
            var plan = new Plan<double>(graph, shapes, parameters, graph.LossIndex!.Value, mode);
            x.Values.CopyTo(plan.Value("x").Data, 0);
            y.Values.CopyTo(plan.Value("y").Data, 0);
            plan.Forward();
            plan.Backward();
            return plan;
        }

        var (fused, unfused) = (Compile(GradientMode.Parameters), Compile(GradientMode.All));
        Assert.Equal(unfused.RootValue, fused.RootValue, 1e-13);
        for (var p = 0; p < parameters.Names.Length; p++)
            TensorAssert.Close(unfused.ParameterGradients[p].Data, fused.ParameterGradients[p].Data, 1e-12);
        // The fused plan skips what training does not need: no gradient for the input or the target.
        Assert.Null(fused.Gradients[graph.IndexById["x"]]);
        Assert.NotNull(unfused.Gradients[graph.IndexById["x"]]);
    }

    [Fact]
    public void ChainOfTenThousandNodesCompilesRunsAndDifferentiatesWithoutOverflowingTheStack()
    {
        // x → tanh → tanh → … : iterative ordering, ancestry and backward keep the stack flat.
        const int depth = 10_000;
        var nodes = new List<NodeDefinition> { Nodes.Input("x", 1) };
        for (var k = 1; k <= depth; k++) nodes.Add(Nodes.Op($"t{k}", k % 2 == 0 ? "tanh" : "sin", k == 1 ? "x" : $"t{k - 1}"));
        nodes.Add(Nodes.Op("root", "sum", $"t{depth}"));
        var definition = new GraphDefinition(nodes, "root");

        var network = Network.FromGraph(definition);
        var evaluation = GraphEvaluator.Evaluate(network, new Dictionary<string, TensorData> { ["x"] = Nodes.Matrix(new double[,] { { 0.8 } }) }, null, "root");

        double value = 0.8, derivative = 1;
        for (var k = 1; k <= depth; k++)
        {
            derivative *= k % 2 == 0 ? 1 - Math.Tanh(value) * Math.Tanh(value) : Math.Cos(value);
            value = k % 2 == 0 ? Math.Tanh(value) : Math.Sin(value);
        }
        Assert.Equal(value, evaluation.Value.Values[0], 1e-12);
        Assert.Equal(derivative, evaluation.Gradients["x"].Values[0], 1e-12);
        Assert.Equal(depth + 1, evaluation.Edges.Count);
    }
}
