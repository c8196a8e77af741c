using BackpropService.Engine.Graphs;
using static BackpropService.Engine.Tests.Graphs.ValidationAssert;

namespace BackpropService.Engine.Tests.Graphs;

public class LayeredNetworkValidatorTests
{
    private static void LayersFail(string location, string message, LayeredNetworkDefinition definition) =>
        Fails(location, message, () => Network.FromLayers(definition));

    [Fact]
    public void NoInputsIsRejected() =>
        LayersFail("inputs", "'inputs' must be at least 1; got 0.", new(0, [new(1, "sigmoid")], "mse"));

    [Fact]
    public void NoLayersIsRejected() => LayersFail("layers", "A network needs at least one layer.", new(2, [], "mse"));

    [Fact]
    public void UnknownLossIsRejected() => LayersFail("loss", "Unknown loss 'hinge'. Use one of: binary_cross_entropy, cross_entropy, mse.",
        new(2, [new(1, "sigmoid")], "hinge"));

    [Fact]
    public void LayerWithoutUnitsIsRejected() => LayersFail("layers[1].units", "Layer 1: 'units' must be at least 1; got 0.",
        new(2, [new(3, "tanh"), new(0, "sigmoid")], "mse"));

    [Fact]
    public void UnknownActivationIsRejected() => LayersFail("layers[0].activation",
        "Layer 0: unknown activation 'swish'. Use one of: sigmoid, tanh, relu, leaky_relu, softmax, identity.",
        new(2, [new(3, "swish"), new(1, "sigmoid")], "mse"));

    [Fact]
    public void SoftmaxBeforeTheLastLayerIsRejected() => LayersFail("layers[0].activation",
        "Layer 0: softmax is allowed on the last layer only.", new(2, [new(3, "softmax"), new(1, "sigmoid")], "mse"));

    [Fact]
    public void CrossEntropyWithoutSoftmaxIsRejected() => LayersFail("loss",
        "'cross_entropy' is categorical and needs a softmax output layer; the last layer's activation is 'sigmoid'.",
        new(2, [new(3, "sigmoid")], "cross_entropy"));

    [Fact]
    public void UnknownInitIsRejected() => LayersFail("layers[0].init",
        "Layer 0: unknown init 'orthogonal'. Use one of: xavier, he, uniform, zeros.", new(2, [new(3, "relu", Init: "orthogonal")], "mse"));

    [Fact]
    public void WeightsWithTheWrongNumberOfRowsAreRejected() => LayersFail("layers[0].weights",
        "Layer 0: 'weights' must be 2 rows (one per input unit) of 3 numbers (one per unit).",
        new(2, [new(3, "tanh", Weights: [[1, 2, 3]])], "mse"));

    [Fact]
    public void WeightsWithARaggedRowAreRejected() => LayersFail("layers[1].weights",
        "Layer 1: 'weights' must be 3 rows (one per input unit) of 1 numbers (one per unit).",
        new(2, [new(3, "tanh"), new(1, "sigmoid", Weights: [[1], [2, 3], [4]])], "mse"));

    [Fact]
    public void WeightsWithNaNAreRejected() => LayersFail("layers[0].weights", "Layer 0: 'weights' contains NaN or Infinity.",
        new(1, [new(1, "tanh", Weights: [[double.NaN]])], "mse"));

    [Fact]
    public void BiasOfTheWrongLengthIsRejected() => LayersFail("layers[0].bias", "Layer 0: 'bias' must have 2 numbers; got 3.",
        new(1, [new(2, "tanh", Bias: [1, 2, 3])], "mse"));

    [Fact]
    public void BiasWithInfinityIsRejected() => LayersFail("layers[0].bias", "Layer 0: 'bias' contains NaN or Infinity.",
        new(1, [new(1, "tanh", Bias: [double.PositiveInfinity])], "mse"));

    [Fact]
    public void ValidLayersCompileToMatmulAddActivationPerLayerAndALoss()
    {
        var network = Network.FromLayers(new(3, [new(4, "relu"), new(2, "identity")], "mse"));
        Assert.Equal(["x", "y", "layers.0.weights", "layers.0.bias", "layers.0.matmul", "layers.0.add", "layers.0.relu",
                      "layers.1.weights", "layers.1.bias", "layers.1.matmul", "layers.1.add", "loss"],
            network.Graph.Nodes.Select(n => n.Id));
        Assert.Equal("layers.1.add", network.Graph.Output);
        Assert.Equal("he", network.Graph.Nodes.Single(n => n.Id == "layers.0.weights").Init);
        Assert.Equal(3 * 4 + 4 + 4 * 2 + 2, network.ParameterCount);
        Assert.True(network.CanTrain);
    }
}
