namespace BackpropService.Engine.Tests.Ops;

public class CosOpTests
{
    [Fact]
    public void ForwardTakesTheCosine()
    {
        double[] x = [0, 1, -2.5];
        TensorAssert.Close([x.Length], x.Select(v => Math.Cos(v)).ToArray(), OpHarness.Forward("cos", Nodes.Vector(x)), 1e-14);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        OpHarness.VerifyGradient("cos", Nodes.Random(new Random(15), [3, 4], -3, 3));
    }
}
