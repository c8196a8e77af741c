namespace BackpropService.Engine.Tests;

public class GradientCheckTests
{
    [Fact]
    public void CentralDifferencesOfACubicAreAccurate()
    {
        double[] x = [2.0, -0.5];
        var gradient = GradientCheck.NumericGradient(() => x[0] * x[0] * x[0] + 3 * x[1], x);
        TensorAssert.Close([12, 3], gradient, 1e-8);
        Assert.Equal([2.0, -0.5], x);
    }

    [Fact]
    public void ToleranceRejectsAGradientOffByOnePartInAThousand()
    {
        Assert.False(GradientCheck.Close(1.001, 1.0, GradientCheck.RelativeTolerance, GradientCheck.AbsoluteTolerance));
        Assert.True(GradientCheck.Close(1.0 + 1e-9, 1.0, GradientCheck.RelativeTolerance, GradientCheck.AbsoluteTolerance));
    }
}
