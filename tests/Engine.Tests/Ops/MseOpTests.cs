namespace BackpropService.Engine.Tests.Ops;

public class MseOpTests
{
    [Fact]
    public void ForwardAveragesSquaredErrorsOverEveryElement() =>
        TensorAssert.Close([], [(1 + 4 + 0 + 6.25) / 4],
            OpHarness.Forward("mse", Nodes.Matrix(new double[,] { { 1, 2 }, { 3, 4 } }), Nodes.Matrix(new double[,] { { 0, 4 }, { 3, 1.5 } })));

    [Fact]
    public void GradientMatchesFiniteDifferencesForPredictionAndTarget()
    {
        var random = new Random(30);
        OpHarness.VerifyGradient("mse", Nodes.Random(random, [3, 2], -3, 3), Nodes.Random(random, [3, 2], -3, 3));
    }
}
