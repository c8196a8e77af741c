using BackpropService.Engine.Graphs;

namespace BackpropService.Engine.Tests.Ops;

public class LeakyReluOpTests
{
    private static NodeDefinition LeakyRelu(double? alpha) => new() { Id = "y", Op = "leaky_relu", Alpha = alpha };

    [Fact]
    public void ForwardScalesNegativesByTheDefaultSlope() =>
        TensorAssert.Close([3], [-0.02, 0, 3], OpHarness.Forward(LeakyRelu(null), Nodes.Vector(-2, 0, 3)));

    [Fact]
    public void ForwardScalesNegativesByTheNodesAlpha() =>
        TensorAssert.Close([3], [-0.4, 0, 3], OpHarness.Forward(LeakyRelu(0.2), Nodes.Vector(-2, 0, 3)));

    [Theory]
    [InlineData(null)]
    [InlineData(0.2)]
    public void GradientMatchesFiniteDifferencesAwayFromTheKink(double? alpha) =>
        OpHarness.VerifyGradient(LeakyRelu(alpha), Nodes.Random(new Random(21), [3, 4], 0.1, 2, signed: true));
}
