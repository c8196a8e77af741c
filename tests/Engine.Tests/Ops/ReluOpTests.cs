namespace BackpropService.Engine.Tests.Ops;

public class ReluOpTests
{
    [Fact]
    public void ForwardClipsNegativesToZero() =>
        TensorAssert.Close([4], [0, 0, 0.5, 3], OpHarness.Forward("relu", Nodes.Vector(-2, 0, 0.5, 3)));

    [Fact]
    public void GradientMatchesFiniteDifferencesAwayFromTheKink()
    {
        // |x| ≥ 0.1 on both sides: at 0 relu has no derivative and a central difference straddles the kink.
        OpHarness.VerifyGradient("relu", Nodes.Random(new Random(20), [3, 4], 0.1, 2, signed: true));
    }

    [Fact]
    public void GradientIsZeroAtTheKink()
    {
        var plan = GradientCheck.Compile(new([Nodes.Parameter("a", Nodes.Vector(0, -1, 1)), Nodes.Op("y", "relu", "a"), Nodes.Op("root", "sum", "y")], "root"), "root");
        TensorAssert.Close([0, 0, 1], plan.Gradients[plan.Graph.IndexById["a"]]!.Data);
    }
}
