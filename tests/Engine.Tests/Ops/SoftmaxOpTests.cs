namespace BackpropService.Engine.Tests.Ops;

public class SoftmaxOpTests
{
    [Fact]
    public void ForwardNormalisesEachRow()
    {
        var y = OpHarness.Forward("softmax", Nodes.Matrix(new double[,] { { 1, 2, 3 }, { 0, 0, 0 } }));
        var total = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        TensorAssert.Close([2, 3], [Math.Exp(1) / total, Math.Exp(2) / total, Math.Exp(3) / total, 1.0 / 3, 1.0 / 3, 1.0 / 3], y, 1e-14);
    }

    [Fact]
    public void ForwardDoesNotOverflowForLargeLogits()
    {
        var y = OpHarness.Forward("softmax", Nodes.Vector(1000, 1000, -1000));
        TensorAssert.Close([3], [0.5, 0.5, 0], y, 1e-14);
    }

    [Fact]
    public void GradientOfAMatrixMatchesFiniteDifferences() =>
        OpHarness.VerifyGradient("softmax", Nodes.Random(new Random(22), [3, 4], -2, 2));

    [Fact]
    public void GradientOfAVectorMatchesFiniteDifferences() =>
        OpHarness.VerifyGradient("softmax", Nodes.Random(new Random(23), [5], -2, 2));
}
