using BackpropService.Engine.Graphs;

namespace BackpropService.Engine.Tests.Evaluation;

public class GraphEvaluatorTests
{
    // The seed's worked example: θ1 [2, 2] with its bias column b1, θ2 [2, 1] with b2.
    private static readonly double[][] Theta1 = [[0.5, -0.4], [0.3, 0.8]];
    private static readonly double[] Bias1 = [0.1, -0.2];
    private static readonly double[][] Theta2 = [[0.7], [-1.1]];
    private static readonly double[] Bias2 = [0.05];

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    [Fact]
    public void XorNetsGradientsEqualTheSeedsClosedFormsAveragedOverTheBatch()
    {
        var network = Network.FromLayers(XorNetwork.Definition(Theta1, Bias1, Theta2, Bias2));
        var leaves = new Dictionary<string, TensorData>
        {
            ["x"] = new([4, 2], XorNetwork.Features.SelectMany(r => r).ToArray()),
            ["y"] = new([4, 1], XorNetwork.Targets),
        };
        var evaluation = GraphEvaluator.Evaluate(network, leaves, null, "loss");

        // By hand: L1 = x, L2 = σ(L1 θ1 + b1), L3 = σ(L2 θ2 + b2), one row at a time.
        var (dTheta1, dBias1, dTheta2, dBias2) = (new double[2, 2], new double[2], new double[2], 0.0);
        var cost = 0.0;
        for (var n = 0; n < 4; n++)
        {
            var l1 = XorNetwork.Features[n];
            var y = XorNetwork.Targets[n];
            var l2 = new double[2];
            for (var j = 0; j < 2; j++) l2[j] = Sigmoid(l1[0] * Theta1[0][j] + l1[1] * Theta1[1][j] + Bias1[j]);
            var l3 = Sigmoid(l2[0] * Theta2[0][0] + l2[1] * Theta2[1][0] + Bias2[0]);
            cost -= (y * Math.Log(l3) + (1 - y) * Math.Log(1 - l3)) / 4;

            var delta3 = l3 - y;                                    // dC/dz3 for one row
            for (var j = 0; j < 2; j++) dTheta2[j] += delta3 * l2[j] / 4; // (L3 − y)·L2
            dBias2 += delta3 / 4;
            for (var j = 0; j < 2; j++)
            {
                var delta2 = Theta2[j][0] * delta3 * l2[j] * (1 - l2[j]); // (θ2·(L3 − y)) ⊙ L2(1 − L2)
                for (var i = 0; i < 2; i++) dTheta1[i, j] += delta2 * l1[i] / 4; // · L1
                dBias1[j] += delta2 / 4;                                          // the bias column: L1 = 1
            }
        }

        Assert.Equal(cost, evaluation.Value.Values[0], 1e-14);
        TensorAssert.Close([2, 1], dTheta2, evaluation.Gradients["layers.1.weights"], 1e-13);
        TensorAssert.Close([1], [dBias2], evaluation.Gradients["layers.1.bias"], 1e-13);
        TensorAssert.Close([2, 2], dTheta1.Cast<double>().ToArray(), evaluation.Gradients["layers.0.weights"], 1e-13);
        TensorAssert.Close([2], dBias1, evaluation.Gradients["layers.0.bias"], 1e-13);
    }

    private static readonly GraphDefinition ExpSinSquare = new(
    [
        Nodes.Input("x"), Nodes.Op("x2", "square", "x"), Nodes.Op("s", "sin", "x2"), Nodes.Op("f", "exp", "s"),
    ], "f");

    [Theory]
    [InlineData(-1.7)]
    [InlineData(-0.3)]
    [InlineData(0.0)]
    [InlineData(0.9)]
    [InlineData(2.2)]
    public void ExpOfSinOfXSquaredHasTheTextbookValueAndDerivative(double x)
    {
        var evaluation = GraphEvaluator.Evaluate(Network.FromGraph(ExpSinSquare),
            new Dictionary<string, TensorData> { ["x"] = TensorData.Scalar(x) }, null, "f");

        var derivative = Math.Exp(Math.Sin(x * x)) * Math.Cos(x * x) * 2 * x;
        Assert.Equal(Math.Exp(Math.Sin(x * x)), evaluation.Value.Values[0], 1e-14);
        Assert.Equal(derivative, evaluation.Gradients["x"].Values[0], 1e-13);

        // One path x → x2 → s → f: the product of its edges' local derivatives is the gradient.
        var edges = evaluation.Edges.ToDictionary(e => (e.From, e.To), e => e.LocalDerivative!.Value);
        Assert.Equal(2 * x, edges[("x", "x2")], 1e-15);
        Assert.Equal(Math.Cos(x * x), edges[("x2", "s")], 1e-15);
        Assert.Equal(Math.Exp(Math.Sin(x * x)), edges[("s", "f")], 1e-14);
        Assert.Equal(evaluation.Gradients["x"].Values[0], edges[("x", "x2")] * edges[("x2", "s")] * edges[("s", "f")], 1e-14);
        Assert.Equal(derivative, evaluation.Nodes.Single(n => n.Id == "x").Gradient.Values[0], 1e-13);
    }

    /// <summary>
    /// micrograd's README: a = −4, b = 2, c = a + b, d = a·b + b³, c += c + 1, c += 1 + c + (−a), d += d·2 + relu(b + a),
    /// d += 3·d + relu(b − a), e = c − d, f = e², g = f / 2, g += 10 / f.
    /// </summary>
    [Fact]
    public void MicrogradReadmeExpressionGivesItsPublishedValueAndGradients()
    {
        NodeDefinition[] nodes =
        [
            Nodes.Input("a"), Nodes.Input("b"),
            Nodes.Constant("one", 1), Nodes.Constant("two", 2), Nodes.Constant("three", 3), Nodes.Constant("ten", 10),
            Nodes.Op("c0", "add", "a", "b"),
            Nodes.Op("ab", "mul", "a", "b"), Nodes.Pow("b3", "b", 3), Nodes.Op("d0", "add", "ab", "b3"),
            Nodes.Op("c0+1", "add", "c0", "one"), Nodes.Op("c1", "add", "c0", "c0+1"),
            Nodes.Op("1+c1", "add", "one", "c1"), Nodes.Op("-a", "neg", "a"), Nodes.Op("1+c1-a", "add", "1+c1", "-a"),
            Nodes.Op("c2", "add", "c1", "1+c1-a"),
            Nodes.Op("d0*2", "mul", "d0", "two"), Nodes.Op("b+a", "add", "b", "a"), Nodes.Op("relu(b+a)", "relu", "b+a"),
            Nodes.Op("d0*2+relu", "add", "d0*2", "relu(b+a)"), Nodes.Op("d1", "add", "d0", "d0*2+relu"),
            Nodes.Op("3*d1", "mul", "three", "d1"), Nodes.Op("b-a", "sub", "b", "a"), Nodes.Op("relu(b-a)", "relu", "b-a"),
            Nodes.Op("3*d1+relu", "add", "3*d1", "relu(b-a)"), Nodes.Op("d2", "add", "d1", "3*d1+relu"),
            Nodes.Op("e", "sub", "c2", "d2"), Nodes.Pow("f", "e", 2), Nodes.Op("g0", "div", "f", "two"),
            Nodes.Op("10/f", "div", "ten", "f"), Nodes.Op("g", "add", "g0", "10/f"),
        ];
        var evaluation = GraphEvaluator.Evaluate(Network.FromGraph(new(nodes, "g")),
            new Dictionary<string, TensorData> { ["a"] = TensorData.Scalar(-4), ["b"] = TensorData.Scalar(2) }, null, "g");

        Assert.Equal(24.7041, evaluation.Value.Values[0], 4);
        Assert.Equal(138.8338, evaluation.Gradients["a"].Values[0], 4);
        Assert.Equal(645.5773, evaluation.Gradients["b"].Values[0], 4);
    }

    [Fact]
    public void EdgesBetweenTensorsCarryNoLocalDerivative()
    {
        var network = XorNetwork.Create();
        var evaluation = GraphEvaluator.EvaluateRow(network, Parameters(), [1, 0], [1], unroll: false, maxNodes: 500);
        Assert.Null(evaluation.Edges.Single(e => e is { From: "layers.0.weights", To: "layers.0.matmul" }).LocalDerivative);
        Assert.Equal(network.Edges.Count, evaluation.Edges.Count);
    }

    [Fact]
    public void UnknownRootIsRejected() => Assert.Throws<ArgumentException>(() =>
        GraphEvaluator.Evaluate(Network.FromGraph(ExpSinSquare), new Dictionary<string, TensorData> { ["x"] = TensorData.Scalar(1) }, null, "nope"));

    [Fact]
    public void ValueForANodeThatIsNotALeafIsRejectedWithItsLocation()
    {
        var error = Assert.Throws<GraphValidationException>(() => GraphEvaluator.Evaluate(Network.FromGraph(ExpSinSquare),
            new Dictionary<string, TensorData> { ["x"] = TensorData.Scalar(1), ["s"] = TensorData.Scalar(0) }, null, "f"));
        Assert.Equal("inputs.s", error.Location);
        Assert.Equal("'s' is not an input, target or constant node of the graph.", error.Message);
    }

    [Fact]
    public void MissingInputValueIsRejectedNamingTheNode()
    {
        var error = Assert.Throws<GraphValidationException>(() =>
            GraphEvaluator.Evaluate(Network.FromGraph(ExpSinSquare), new Dictionary<string, TensorData>(), null, "f"));
        Assert.Equal("graph.nodes[0]", error.Location);
        Assert.Equal("No value was given for input node 'x'.", error.Message);
    }

    private static readonly GraphDefinition ScaledSum = new(
    [
        Nodes.Input("x"), Nodes.Constant("k", Nodes.Vector(1, 2, 3)), Nodes.Op("kx", "mul", "x", "k"), Nodes.Op("s", "sum", "kx"),
    ], "s");

    [Fact]
    public void ConstantCanBeOverriddenByAValueOfItsShape()
    {
        var evaluation = GraphEvaluator.Evaluate(Network.FromGraph(ScaledSum), new Dictionary<string, TensorData>
        {
            ["x"] = Nodes.Vector(1, 1, 1), ["k"] = Nodes.Vector(10, 20, 30),
        }, null, "s");
        Assert.Equal(60, evaluation.Value.Values[0]);
        TensorAssert.Close([10, 20, 30], evaluation.Gradients["x"].Values);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void ConstantOverriddenByAValueOfAnotherShapeIsRejected(int length)
    {
        var error = Assert.Throws<GraphValidationException>(() => GraphEvaluator.Evaluate(Network.FromGraph(ScaledSum),
            new Dictionary<string, TensorData> { ["x"] = Nodes.Vector(1, 1, 1), ["k"] = new([length], new double[length]) }, null, "s"));
        Assert.Equal("inputs.k", error.Location);
        Assert.Equal($"Constant 'k' has shape [3]; the value given has shape [{length}].", error.Message);
    }

    [Fact]
    public void ParameterValueOfTheWrongShapeIsRejected()
    {
        var parameters = Parameters().Select(p => p.Name == "layers.0.bias" ? p with { Value = Nodes.Vector(1, 2, 3) } : p).ToArray();
        var error = Assert.Throws<ArgumentException>(() => GraphEvaluator.EvaluateRow(XorNetwork.Create(), parameters, [0, 1], [1], false, 500));
        Assert.Equal("Parameter 'layers.0.bias' has shape [2]; the value given has shape [3].", error.Message);
    }

    internal static IReadOnlyList<NamedTensor> Parameters() =>
    [
        new("layers.0.weights", new([2, 2], Theta1.SelectMany(r => r).ToArray())), new("layers.0.bias", new([2], Bias1)),
        new("layers.1.weights", new([2, 1], Theta2.SelectMany(r => r).ToArray())), new("layers.1.bias", new([1], Bias2)),
    ];
}
