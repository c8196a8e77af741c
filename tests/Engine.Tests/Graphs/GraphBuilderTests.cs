using BackpropService.Engine.Graphs;
using static BackpropService.Engine.Tests.Graphs.ValidationAssert;

namespace BackpropService.Engine.Tests.Graphs;

public class GraphBuilderTests
{
    [Fact]
    public void EmptyGraphIsRejected() =>
        Fails("graph.nodes", "The graph has no nodes.", () => Network.FromGraph(new([], "x")));

    [Fact]
    public void DuplicateIdNamesBothPositions() => GraphFails("graph.nodes[2]", "Node id 'a' is used twice (nodes[0] and nodes[2]).",
        Nodes.Input("a"), Nodes.Input("b"), Nodes.Constant("a", 1));

    [Fact]
    public void MissingIdIsRejected() =>
        GraphFails("graph.nodes[1]", "Node 1 has no id.", Nodes.Input("a"), Nodes.Op(" ", "neg", "a"));

    [Fact]
    public void CycleIsRejectedNamingANodeOnIt() => GraphFails("graph.nodes[1]",
        "The graph has a cycle through node 'a'; a computational graph must be acyclic.",
        Nodes.Input("x"), Nodes.Op("a", "add", "x", "c"), Nodes.Op("b", "sin", "a"), Nodes.Op("c", "cos", "b"));

    [Fact]
    public void NodeThatIsItsOwnInputIsACycle() => GraphFails("graph.nodes[0]",
        "The graph has a cycle through node 'a'; a computational graph must be acyclic.", Nodes.Op("a", "neg", "a"));

    [Fact]
    public void OutputThatIsNoNodeIsRejected() =>
        Fails("graph.output", "Output 'z' is not the id of a node.", () => Network.FromGraph(new([Nodes.Input("x")], "z")));

    [Fact]
    public void LossThatIsNoNodeIsRejected() =>
        Fails("graph.loss", "Loss 'l' is not the id of a node.", () => Network.FromGraph(new([Nodes.Input("x")], "x", "l")));

    [Fact]
    public void LossWithoutATargetIsRejected() => Fails("graph.loss",
        "Loss node 'loss' does not consume a 'target' node, so it cannot measure the error against the data.",
        () => Network.FromGraph(new(
        [
            Nodes.Input("x", 1), Nodes.Parameter("w", Nodes.Matrix(new double[,] { { 2 } })), Nodes.Op("p", "matmul", "x", "w"),
            Nodes.Constant("y", Nodes.Matrix(new double[,] { { 1 } })), Nodes.Op("loss", "mse", "p", "y"),
        ], "p", "loss")));

    [Fact]
    public void LossWithoutAParameterIsRejected() => Fails("graph.loss",
        "Loss node 'loss' does not depend on any 'parameter' node, so there is nothing to train.",
        () => Network.FromGraph(new([Nodes.Input("x", 1), Nodes.Target("y", 1), Nodes.Op("loss", "mse", "x", "y")], "x", "loss")));

    [Fact]
    public void ValidGraphKeepsItsNodesInTopologicalOrder()
    {
        // Listed consumers first: the order still puts every operand before its consumers.
        var graph = GraphBuilder.Validate(new(
        [
            Nodes.Op("f", "exp", "s"), Nodes.Op("s", "sin", "x2"), Nodes.Op("x2", "square", "x"), Nodes.Input("x"),
        ], "f"));
        Assert.Equal([3, 2, 1, 0], graph.Order);
    }
}
