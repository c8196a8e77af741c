namespace BackpropService.Engine.Tests.Ops;

public class SquareOpTests
{
    [Fact]
    public void ForwardSquares()
    {
        double[] x = [1.5, -2, 0];
        TensorAssert.Close([x.Length], x.Select(v => v * v).ToArray(), OpHarness.Forward("square", Nodes.Vector(x)), 1e-14);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        OpHarness.VerifyGradient("square", Nodes.Random(new Random(11), [3, 4], -2, 2));
    }
}
