namespace BackpropService.Engine.Tests;

public class PredictorTests
{
    private static Predictor Xor() =>
        new(XorNetwork.Create(), Evaluation.GraphEvaluatorTests.Parameters());

    [Fact]
    public void RowsOfTheWrongWidthAreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Xor().Predict([[1, 2, 3]]));
        Assert.Equal("The network takes 2 inputs per row; got 3.", error.Message);
    }

    [Fact]
    public void RaggedRowsAreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Xor().Predict([[1, 2], [3]]));
        Assert.Equal("inputs[1] has 1 values; every row must have 2.", error.Message);
    }

    [Fact]
    public void NaNInputIsRejected() =>
        Assert.Equal("inputs[0] contains NaN or Infinity.", Assert.Throws<ArgumentException>(() => Xor().Predict([[double.NaN, 0]])).Message);

    [Fact]
    public void NoRowsIsRejected() => Assert.Throws<ArgumentException>(() => Xor().Predict([]));

    [Fact]
    public void MissingParameterIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new Predictor(XorNetwork.Create(), Evaluation.GraphEvaluatorTests.Parameters().Take(3).ToArray()));
        Assert.Equal("No value was given for parameter 'layers.1.bias'.", error.Message);
    }

    [Fact]
    public void PredictionsAreTheForwardPassInFloat32()
    {
        var predictions = Xor().Predict(XorNetwork.Features);
        var evaluation = GraphEvaluator.Evaluate(XorNetwork.Create(), new Dictionary<string, TensorData>
        {
            ["x"] = new([4, 2], XorNetwork.Features.SelectMany(r => r).ToArray()), ["y"] = new([4, 1], new double[4]),
        }, Evaluation.GraphEvaluatorTests.Parameters(), "layers.1.sigmoid");
        TensorAssert.Close(evaluation.Value.Values, predictions.Select(p => Assert.Single(p)).ToArray(), 1e-6);
    }

    [Fact]
    public void GraphWithOpenWidthsPredictsEveryOutputColumn()
    {
        // Neither x nor y declares a width: the output's three columns come from w alone.
        var network = Network.FromGraph(new(
        [
            Nodes.Input("x"), Nodes.Target("y"), Nodes.Parameter("w", Nodes.Matrix(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } })),
            Nodes.Op("p", "matmul", "x", "w"), Nodes.Op("loss", "mse", "p", "y"),
        ], "p", "loss"));
        var predictions = new Predictor(network, [new("w", Nodes.Matrix(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } }))]).Predict([[1, 1], [0, 2]]);
        Assert.Equal([5.0, 7, 9], predictions[0]);
        Assert.Equal([8.0, 10, 12], predictions[1]);
    }
}
