namespace BackpropService.Engine.Tests.Ops;

public class BinaryCrossEntropyOpTests
{
    [Fact]
    public void ForwardAveragesOverEveryElement()
    {
        double[] p = [0.9, 0.2, 0.6, 0.5];
        double[] y = [1, 0, 0, 0.5];
        var expected = -p.Select((pi, i) => y[i] * Math.Log(pi) + (1 - y[i]) * Math.Log(1 - pi)).Sum() / p.Length;
        TensorAssert.Close([], [expected], OpHarness.Forward("binary_cross_entropy", new([2, 2], p), new([2, 2], y)));
    }

    [Fact]
    public void ForwardOfASaturatedWrongPredictionIsLargeButFinite()
    {
        var cost = OpHarness.Forward("binary_cross_entropy", Nodes.Vector(0, 1), Nodes.Vector(1, 0)).Values[0];
        Assert.True(double.IsFinite(cost) && cost > 20, $"cost {cost}");
    }

    [Fact]
    public void GradientMatchesFiniteDifferencesForPredictionAndTarget()
    {
        // Predictions inside (0.05, 0.95), away from the clamp at the ends; soft targets in [0, 1].
        var random = new Random(27);
        OpHarness.VerifyGradient("binary_cross_entropy", Nodes.Random(random, [4, 2], 0.05, 0.95), Nodes.Random(random, [4, 2], 0, 1));
    }
}
