using BackpropService.Engine.Graphs;
using BackpropService.Engine.Ops;

namespace BackpropService.Engine.Tests.Ops;

public class SigmoidBinaryCrossEntropyOpTests
{
    private static readonly double[] Logits = [-2.5, -0.3, 0.1, 1.7, 3.2, -1.1];
    private static readonly double[] Labels = [0, 1, 1, 0, 1, 0.25];
    private static readonly Shape Batch = Shape.Matrix(3, 2);

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    private static (Tensor<double> Cost, Tensor<double>[] Grads) RunFused(double[] z, double[] y) =>
        OpHarness.Run(new SigmoidBinaryCrossEntropyOp<double>(), Shape.Scalar,
            [new(Batch, z), new(Batch, y), new(Batch, z.Select(Sigmoid).ToArray())], [1.0]);

    /// <summary>The unfused σ → binary_cross_entropy chain, differentiated node by node.</summary>
    private static Plan<double> Unfused() => GradientCheck.Compile(new(
    [
        Nodes.Parameter("z", new([3, 2], Logits)), Nodes.Parameter("y", new([3, 2], Labels)),
        Nodes.Op("p", "sigmoid", "z"), Nodes.Op("loss", "binary_cross_entropy", "p", "y"),
    ], "loss"), "loss");

    [Fact]
    public void ForwardEqualsTheUnfusedChain()
    {
        var (cost, _) = RunFused(Logits, Labels);
        Assert.Equal(Unfused().RootValue, cost.Data[0], 1e-14);
    }

    [Fact]
    public void GradientWithRespectToLogitsEqualsTheUnfusedChainAndPMinusYOverN()
    {
        var (_, grads) = RunFused(Logits, Labels);
        var unfused = Unfused();
        TensorAssert.Close(unfused.Gradients[unfused.Graph.IndexById["z"]]!.Data, grads[0].Data, 1e-12);
        TensorAssert.Close(Logits.Select((z, i) => (Sigmoid(z) - Labels[i]) / Logits.Length).ToArray(), grads[0].Data, 1e-15);
    }

    [Fact]
    public void GradientMatchesFiniteDifferencesForLogitsAndTargets()
    {
        var (z, y) = ((double[])Logits.Clone(), (double[])Labels.Clone());
        var (_, grads) = RunFused(z, y);
        var numericZ = GradientCheck.NumericGradient(() => RunFused(z, y).Cost.Data[0], z);
        var numericY = GradientCheck.NumericGradient(() => RunFused(z, y).Cost.Data[0], y);
        TensorAssert.Close(numericZ, grads[0].Data, 1e-8);
        TensorAssert.Close(numericY, grads[1].Data, 1e-8);
    }

    [Fact]
    public void SaturatedLogitsGiveTheExactCostAndGradientWhereTheUnfusedLogClamps()
    {
        // z = 60, y = 0: C = ln(1 + e⁶⁰) ≈ 60 exactly; the unfused form would clamp p at 1 − 10⁻¹² and report ≈ 27.6.
        var (cost, grads) = OpHarness.Run(new SigmoidBinaryCrossEntropyOp<double>(), Shape.Scalar,
            [new(Shape.Vector(1), [60.0]), new(Shape.Vector(1), [0.0]), new(Shape.Vector(1), [Sigmoid(60)])], [1.0]);
        Assert.Equal(60, cost.Data[0], 1e-12);
        Assert.Equal(1, grads[0].Data[0], 1e-12);
    }
}
