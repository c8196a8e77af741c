namespace BackpropService.Engine.Tests.Ops;

public class MeanOpTests
{
    [Fact]
    public void ForwardAveragesEveryElementIntoAScalar() =>
        TensorAssert.Close([], [2.625], OpHarness.Forward("mean", Nodes.Matrix(new double[,] { { 1, 2 }, { 3, 4.5 } })));

    [Fact]
    public void GradientMatchesFiniteDifferences() => OpHarness.VerifyGradient("mean", Nodes.Random(new Random(26), [3, 4]));
}
