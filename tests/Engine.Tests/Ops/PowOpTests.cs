namespace BackpropService.Engine.Tests.Ops;

public class PowOpTests
{
    [Theory]
    [InlineData(3.0)]
    [InlineData(-1.0)]
    [InlineData(0.5)]
    public void ForwardRaisesToTheExponent(double exponent)
    {
        double[] x = [0.5, 2, 3];
        TensorAssert.Close([3], x.Select(v => Math.Pow(v, exponent)).ToArray(), OpHarness.Forward(Nodes.Pow("y", "a", exponent), Nodes.Vector(x)));
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(3.0)]
    [InlineData(-2.0)]
    public void GradientForAnIntegerExponentMatchesFiniteDifferencesAtNegativeBases(double exponent) =>
        OpHarness.VerifyGradient(Nodes.Pow("y", "a", exponent), Nodes.Random(new Random(18), [3, 4], 0.3, 2, signed: true));

    [Theory]
    [InlineData(0.5)]
    [InlineData(2.7)]
    public void GradientForAFractionalExponentMatchesFiniteDifferencesAtPositiveBases(double exponent) =>
        OpHarness.VerifyGradient(Nodes.Pow("y", "a", exponent), Nodes.Random(new Random(19), [3, 4], 0.3, 2));
}
