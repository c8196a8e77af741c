namespace BackpropService.Engine.Tests.Ops;

public class ExpOpTests
{
    [Fact]
    public void ForwardExponentiates()
    {
        double[] x = [0, 1, -2.5];
        TensorAssert.Close([x.Length], x.Select(v => Math.Exp(v)).ToArray(), OpHarness.Forward("exp", Nodes.Vector(x)), 1e-14);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        OpHarness.VerifyGradient("exp", Nodes.Random(new Random(12), [3, 4], -2, 2));
    }
}
