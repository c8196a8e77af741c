using BackpropService.Engine.Graphs;
using static BackpropService.Engine.Tests.Graphs.ValidationAssert;

namespace BackpropService.Engine.Tests.Graphs;

public class ShapeInferenceTests
{
    [Fact]
    public void MatmulWithDifferentInnerDimensionsNamesBothShapes() => GraphFails("graph.nodes[2]",
        "Node 'h' (matmul) of 'x' [1, 3], 'w' [4, 2]: matmul inner dimensions differ: [1, 3] · [4, 2] (3 ≠ 4).",
        Nodes.Input("x", 3), new NodeDefinition { Id = "w", Op = "parameter", Shape = [4, 2] }, Nodes.Op("h", "matmul", "x", "w"));

    [Fact]
    public void MatmulByAVectorIsRejected() => GraphFails("graph.nodes[2]",
        "Node 'h' (matmul) of 'x' [1, 3], 'v' [3]: matmul needs a vector or matrix times a matrix; got [1, 3] · [3].",
        Nodes.Input("x", 3), new NodeDefinition { Id = "v", Op = "parameter", Shape = [3] }, Nodes.Op("h", "matmul", "x", "v"));

    [Fact]
    public void LossComparingDifferentShapesIsRejected() => GraphFails("graph.nodes[4]",
        "Node 'loss' (mse) of 'h' [1, 2], 'y' [1, 3]: prediction [1, 2] and target [1, 3] must have the same shape.",
        Nodes.Input("x", 3), Nodes.Target("y", 3), new NodeDefinition { Id = "w", Op = "parameter", Shape = [3, 2] },
        Nodes.Op("h", "matmul", "x", "w"), Nodes.Op("loss", "mse", "h", "y"));

    [Fact]
    public void SoftmaxOfAScalarIsRejected() => GraphFails("graph.nodes[1]",
        "Node 's' (softmax) of 'c' []: softmax needs a vector or a matrix, got a scalar.", Nodes.Constant("c", 1), Nodes.Op("s", "softmax", "c"));

    [Fact]
    public void LossThatIsNotAScalarIsRejected() => Fails("graph.loss", "Loss node 'loss' must be a scalar; it has shape [1, 1].",
        () => Network.FromGraph(new(
        [
            Nodes.Input("x", 1), Nodes.Target("y", 1), new NodeDefinition { Id = "w", Op = "parameter", Shape = [1, 1] },
            Nodes.Op("h", "matmul", "x", "w"), Nodes.Op("loss", "sub", "h", "y"),
        ], "h", "loss")));

    [Fact]
    public void ShapesPropagateForOneRow()
    {
        var network = XorNetwork.Create();
        Assert.Equal([1, 2], network.NodeShapes["layers.0.matmul"]);
        Assert.Equal([2], network.NodeShapes["layers.0.bias"]);
        Assert.Equal([1, 1], network.NodeShapes["layers.1.sigmoid"]);
        Assert.Empty(network.NodeShapes["loss"]);
        Assert.Equal((2, 1), (network.InputWidth, network.OutputWidth));
    }
}
