using BackpropService.Engine.Graphs;

namespace BackpropService.Engine.Tests;

public class NetworkTests
{
    [Fact]
    public void GraphWithoutALossCannotTrain()
    {
        var network = Network.FromGraph(new([Nodes.Input("x", 2), Nodes.Op("s", "sin", "x")], "s"));
        Assert.False(network.CanTrain);
        var error = Assert.Throws<GraphValidationException>(() => network.EnsureTrainableOn(2, 1));
        Assert.Equal(("graph", "The graph names no 'loss' node, so it cannot be trained."), (error.Location, error.Message));
    }

    [Fact]
    public void GraphWithTwoInputsCannotTrain()
    {
        var network = Network.FromGraph(new(
        [
            Nodes.Input("x", 1), Nodes.Input("z", 1), Nodes.Target("y", 1), Nodes.Parameter("w", Nodes.Matrix(new double[,] { { 1 } })),
            Nodes.Op("xz", "add", "x", "z"), Nodes.Op("p", "matmul", "xz", "w"), Nodes.Op("loss", "mse", "p", "y"),
        ], "p", "loss"));
        var error = Assert.Throws<GraphValidationException>(() => network.EnsureTrainableOn(1, 1));
        Assert.Equal("A graph that trains needs exactly one 'input' node (the dataset's features); it has 2.", error.Message);
    }

    [Fact]
    public void GraphWithTwoTargetsCannotTrain()
    {
        var network = Network.FromGraph(new(
        [
            Nodes.Input("x", 1), Nodes.Target("y", 1), Nodes.Target("t", 1), Nodes.Parameter("w", Nodes.Matrix(new double[,] { { 1 } })),
            Nodes.Op("p", "matmul", "x", "w"), Nodes.Op("yt", "add", "y", "t"), Nodes.Op("loss", "mse", "p", "yt"),
        ], "p", "loss"));
        Assert.False(network.CanTrain);
        var error = Assert.Throws<GraphValidationException>(() => network.EnsureTrainableOn(1, 1));
        Assert.Equal(("graph", "A graph that trains needs exactly one 'target' node (the dataset's targets); it has 2."), (error.Location, error.Message));
    }

    [Fact]
    public void DatasetWithTheWrongFeatureCountIsNamed()
    {
        var error = Assert.Throws<ArgumentException>(() => XorNetwork.Create().EnsureTrainableOn(3, 1));
        Assert.Equal("The network takes 2 inputs but the dataset has 3 feature columns.", error.Message);
    }

    [Fact]
    public void DatasetWithTheWrongTargetCountIsNamed()
    {
        var error = Assert.Throws<ArgumentException>(() => XorNetwork.Create().EnsureTrainableOn(2, 2));
        Assert.Equal("The network's target 'y' has 1 column but the dataset has 2 target columns.", error.Message);
    }

    [Fact]
    public void GraphWithOpenWidthsChecksItsOutputAgainstTheTargets()
    {
        var network = Network.FromGraph(new(
        [
            Nodes.Input("x"), Nodes.Target("y"), Nodes.Parameter("w", Nodes.Matrix(new double[,] { { 1, 2 } })),
            Nodes.Op("p", "matmul", "x", "w"), Nodes.Op("loss", "mse", "p", "y"),
        ], "p", "loss"));
        Assert.Null(network.InputWidth);
        Assert.Empty(network.NodeShapes);
        network.EnsureTrainableOn(1, 2);
        Assert.Throws<GraphValidationException>(() => network.EnsureTrainableOn(1, 3));
    }

    [Fact]
    public void TrainingOnAMismatchedDatasetIsRejectedAtStart() => Assert.Throws<ArgumentException>(() =>
        TrainingSession.Start(XorNetwork.Create(), new([1, 2, 3], [1], 1, 3, 1), new()));

    [Fact]
    public void ParametersAndEdgesAreListed()
    {
        var network = XorNetwork.Create();
        Assert.Equal(["layers.0.weights", "layers.0.bias", "layers.1.weights", "layers.1.bias"], network.Parameters.Select(p => p.Name));
        Assert.Equal([2, 2], network.Parameters[0].Dimensions);
        Assert.Equal(9, network.ParameterCount);
        Assert.Contains(new GraphEdge("layers.1.sigmoid", "loss"), network.Edges);
        Assert.Contains(new GraphEdge("y", "loss"), network.Edges);
    }
}
