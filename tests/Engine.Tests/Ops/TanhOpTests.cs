namespace BackpropService.Engine.Tests.Ops;

public class TanhOpTests
{
    [Fact]
    public void ForwardTakesTheHyperbolicTangent()
    {
        double[] x = [0, 0.5, -3];
        TensorAssert.Close([x.Length], x.Select(v => Math.Tanh(v)).ToArray(), OpHarness.Forward("tanh", Nodes.Vector(x)), 1e-14);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        OpHarness.VerifyGradient("tanh", Nodes.Random(new Random(16), [3, 4], -2, 2));
    }
}
