namespace BackpropService.Engine.Tests.Ops;

public class SigmoidOpTests
{
    [Fact]
    public void ForwardIsTheLogisticFunction()
    {
        double[] x = [0, 2, -3];
        TensorAssert.Close([x.Length], x.Select(v => 1 / (1 + Math.Exp(-v))).ToArray(), OpHarness.Forward("sigmoid", Nodes.Vector(x)), 1e-14);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        OpHarness.VerifyGradient("sigmoid", Nodes.Random(new Random(17), [3, 4], -4, 4));
    }

    [Fact]
    public void ForwardSaturatesWithoutOverflowForLargeInputs()
    {
        var y = OpHarness.Forward("sigmoid", Nodes.Vector(-1000, 1000, -40));
        Assert.All(y.Values, v => Assert.True(double.IsFinite(v)));
        TensorAssert.Close([0, 1, 1 / (1 + Math.Exp(40))], y.Values, 1e-14);
    }
}
