namespace BackpropService.Engine.Tests.Ops;

public class SubOpTests
{
    [Fact]
    public void ForwardSubtractsElementwise()
    {
        var y = OpHarness.Forward("sub", Nodes.Vector(1, 2, 3), Nodes.Vector(10, -20, 3));
        TensorAssert.Close([3], [-9, 22, 0], y);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        var random = new Random(2);
        OpHarness.VerifyGradient("sub", Nodes.Random(random, [3, 4]), Nodes.Random(random, [3, 4]));
    }
}
