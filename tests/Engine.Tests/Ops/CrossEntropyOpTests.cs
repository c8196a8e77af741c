namespace BackpropService.Engine.Tests.Ops;

public class CrossEntropyOpTests
{
    [Fact]
    public void ForwardAveragesOverRows()
    {
        var p = Nodes.Matrix(new double[,] { { 0.7, 0.2, 0.1 }, { 0.25, 0.25, 0.5 } });
        var y = Nodes.Matrix(new double[,] { { 1, 0, 0 }, { 0, 0, 1 } });
        TensorAssert.Close([], [-(Math.Log(0.7) + Math.Log(0.5)) / 2], OpHarness.Forward("cross_entropy", p, y));
    }

    [Fact]
    public void GradientMatchesFiniteDifferencesForPredictionAndTarget()
    {
        var random = new Random(28);
        OpHarness.VerifyGradient("cross_entropy", Nodes.Random(random, [3, 4], 0.05, 1), Nodes.Random(random, [3, 4], 0, 1));
    }

    [Fact]
    public void GradientOfAVectorMatchesFiniteDifferences()
    {
        var random = new Random(29);
        OpHarness.VerifyGradient("cross_entropy", Nodes.Random(random, [4], 0.05, 1), Nodes.Random(random, [4], 0, 1));
    }
}
