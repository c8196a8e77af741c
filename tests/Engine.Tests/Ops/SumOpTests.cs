namespace BackpropService.Engine.Tests.Ops;

public class SumOpTests
{
    [Fact]
    public void ForwardAddsEveryElementIntoAScalar() =>
        TensorAssert.Close([], [10.5], OpHarness.Forward("sum", Nodes.Matrix(new double[,] { { 1, 2 }, { 3, 4.5 } })));

    [Fact]
    public void GradientMatchesFiniteDifferences() => OpHarness.VerifyGradient("sum", Nodes.Random(new Random(24), [3, 4]));

    [Fact]
    public void GradientOfAVectorMatchesFiniteDifferences() => OpHarness.VerifyGradient("sum", Nodes.Random(new Random(25), [7]));
}
