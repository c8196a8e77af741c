namespace BackpropService.Engine.Tests.Ops;

public class SinOpTests
{
    [Fact]
    public void ForwardTakesTheSine()
    {
        double[] x = [0, 1, -2.5];
        TensorAssert.Close([x.Length], x.Select(v => Math.Sin(v)).ToArray(), OpHarness.Forward("sin", Nodes.Vector(x)), 1e-14);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        OpHarness.VerifyGradient("sin", Nodes.Random(new Random(14), [3, 4], -3, 3));
    }
}
