namespace BackpropService.Engine.Tests.Ops;

public class LogOpTests
{
    [Fact]
    public void ForwardTakesTheNaturalLog()
    {
        double[] x = [1, Math.E, 0.25];
        TensorAssert.Close([x.Length], x.Select(v => Math.Log(v)).ToArray(), OpHarness.Forward("log", Nodes.Vector(x)), 1e-14);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        // Sample points stay in (0.2, 3): log is undefined at 0 and below.
        OpHarness.VerifyGradient("log", Nodes.Random(new Random(13), [3, 4], 0.2, 3));
    }
}
