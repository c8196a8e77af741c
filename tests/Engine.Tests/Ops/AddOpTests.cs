namespace BackpropService.Engine.Tests.Ops;

public class AddOpTests
{
    [Fact]
    public void ForwardAddsElementwise()
    {
        var y = OpHarness.Forward("add", Nodes.Matrix(new double[,] { { 1, 2 }, { 3, 4 } }), Nodes.Matrix(new double[,] { { 10, 20 }, { 30, -40 } }));
        TensorAssert.Close([2, 2], [11, 22, 33, -36], y);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        var random = new Random(1);
        OpHarness.VerifyGradient("add", Nodes.Random(random, [3, 4]), Nodes.Random(random, [3, 4]));
    }

    [Fact]
    public void GradientOfAScalarSumMatchesFiniteDifferences() =>
        OpHarness.VerifyGradient("add", Nodes.Scalar(0.3), Nodes.Scalar(-1.2));
}
