using BackpropService.Engine.Graphs;

namespace BackpropService.Engine.Tests.Graphs;

public class LossFusionTests
{
    [Fact]
    public void SigmoidFeedingOnlyBinaryCrossEntropyIsFused()
    {
        var graph = XorNetwork.Create().Validated;
        var fusion = LossFusion.Find(graph);
        Assert.NotNull(fusion);
        Assert.Equal(("layers.1.add", "layers.1.sigmoid"), (graph.Nodes[fusion.Logits].Id, graph.Nodes[fusion.Activation].Id));
    }

    [Fact]
    public void SoftmaxFeedingOnlyCrossEntropyIsFused() =>
        Assert.NotNull(LossFusion.Find(Network.FromLayers(new(2, [new(3, "softmax")], "cross_entropy")).Validated));

    [Fact]
    public void ActivationWithAnotherConsumerIsNotFused()
    {
        // The sigmoid's output also feeds an extra node, so its own backward must run: no fusion.
        var nodes = XorNetwork.Create().Graph.Nodes.ToList();
        nodes.Add(Nodes.Op("extra", "square", "layers.1.sigmoid"));
        Assert.Null(LossFusion.Find(GraphBuilder.Validate(new(nodes, "extra", "loss"))));
    }

    [Fact]
    public void MseIsNeverFused() =>
        Assert.Null(LossFusion.Find(Network.FromLayers(new(2, [new(1, "sigmoid")], "mse")).Validated));
}
