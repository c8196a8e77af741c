namespace BackpropService.Engine.Tests.Ops;

public class DivOpTests
{
    [Fact]
    public void ForwardDividesElementwise()
    {
        var y = OpHarness.Forward("div", Nodes.Vector(1, -6, 0), Nodes.Vector(4, 3, 2));
        TensorAssert.Close([3], [0.25, -2, 0], y);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        // Denominators kept away from 0 (|b| ≥ 0.5), where the quotient's derivative −a/b² explodes.
        var random = new Random(4);
        OpHarness.VerifyGradient("div", Nodes.Random(random, [3, 4]), Nodes.Random(random, [3, 4], 0.5, 2, signed: true));
    }
}
