namespace BackpropService.Engine.Tests.Ops;

public class MulOpTests
{
    [Fact]
    public void ForwardMultipliesElementwise()
    {
        var y = OpHarness.Forward("mul", Nodes.Matrix(new double[,] { { 1, 2 }, { 3, 4 } }), Nodes.Matrix(new double[,] { { 5, -6 }, { 0.5, 0 } }));
        TensorAssert.Close([2, 2], [5, -12, 1.5, 0], y);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        var random = new Random(3);
        OpHarness.VerifyGradient("mul", Nodes.Random(random, [3, 4]), Nodes.Random(random, [3, 4]));
    }

    [Fact]
    public void SquaringByMultiplyingANodeWithItselfCollectsBothContributions()
    {
        // y = a ⊙ a: the one operand gets b's contribution and a's, 2a in all.
        var a = Nodes.Vector(0.5, -1.5, 3);
        var plan = GradientCheck.Compile(new([Nodes.Parameter("a", a), Nodes.Op("y", "mul", "a", "a"), Nodes.Op("root", "sum", "y")], "root"), "root");
        TensorAssert.Close([1, -3, 6], plan.Gradients[plan.Graph.IndexById["a"]]!.Data);
        GradientCheck.Verify(new([Nodes.Parameter("a", a), Nodes.Op("y", "mul", "a", "a"), Nodes.Op("root", "sum", "y")], "root"), "root");
    }
}
