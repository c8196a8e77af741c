namespace BackpropService.Engine.Tests.Ops;

public class NegOpTests
{
    [Fact]
    public void ForwardNegates()
    {
        TensorAssert.Close([3], [-1, 2.5, -0.0], OpHarness.Forward("neg", Nodes.Vector(1, -2.5, 0)));
    }

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        OpHarness.VerifyGradient("neg", Nodes.Random(new Random(5), [3, 4]));
}
