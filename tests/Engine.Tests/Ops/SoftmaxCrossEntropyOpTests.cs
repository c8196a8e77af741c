using BackpropService.Engine.Graphs;
using BackpropService.Engine.Ops;

namespace BackpropService.Engine.Tests.Ops;

public class SoftmaxCrossEntropyOpTests
{
    private static readonly double[] Logits = [0.5, -1.2, 2.0, 0.3, 0.3, -0.4, 1.5, 2.5, -3.0];
    private static readonly double[] OneHot = [0, 0, 1, 1, 0, 0, 0, 1, 0];
    private static readonly Shape Batch = Shape.Matrix(3, 3);

    private static double[] Softmax(double[] z)
    {
        var p = new double[z.Length];
        for (var r = 0; r < 3; r++)
        {
            var total = Enumerable.Range(0, 3).Sum(c => Math.Exp(z[r * 3 + c]));
            for (var c = 0; c < 3; c++) p[r * 3 + c] = Math.Exp(z[r * 3 + c]) / total;
        }
        return p;
    }

    private static (Tensor<double> Cost, Tensor<double>[] Grads) RunFused(double[] z, double[] y) =>
        OpHarness.Run(new SoftmaxCrossEntropyOp<double>(), Shape.Scalar, [new(Batch, z), new(Batch, y), new(Batch, Softmax(z))], [1.0]);

    private static Plan<double> Unfused(double[] y) => GradientCheck.Compile(new(
    [
        Nodes.Parameter("z", new([3, 3], Logits)), Nodes.Parameter("y", new([3, 3], y)),
        Nodes.Op("p", "softmax", "z"), Nodes.Op("loss", "cross_entropy", "p", "y"),
    ], "loss"), "loss");

    [Fact]
    public void ForwardEqualsTheUnfusedChain() => Assert.Equal(Unfused(OneHot).RootValue, RunFused(Logits, OneHot).Cost.Data[0], 1e-14);

    [Fact]
    public void GradientWithRespectToLogitsEqualsTheUnfusedChainAndPMinusYOverRows()
    {
        var (_, grads) = RunFused(Logits, OneHot);
        var unfused = Unfused(OneHot);
        TensorAssert.Close(unfused.Gradients[unfused.Graph.IndexById["z"]]!.Data, grads[0].Data, 1e-12);
        var p = Softmax(Logits);
        TensorAssert.Close(p.Select((pi, i) => (pi - OneHot[i]) / 3).ToArray(), grads[0].Data, 1e-15);
    }

    [Fact]
    public void GradientForSoftTargetsMatchesFiniteDifferencesAndTheUnfusedChain()
    {
        // Targets that do not sum to 1 per row: the gradient is (p Σy − y)/rows, not p − y.
        double[] soft = [0.2, 0.3, 0.1, 0, 0.5, 0.5, 1, 1, 0];
        var (z, y) = ((double[])Logits.Clone(), (double[])soft.Clone());
        var (_, grads) = RunFused(z, y);
        var unfused = Unfused(soft);
        TensorAssert.Close(unfused.Gradients[unfused.Graph.IndexById["z"]]!.Data, grads[0].Data, 1e-12);
        TensorAssert.Close(GradientCheck.NumericGradient(() => RunFused(z, y).Cost.Data[0], z), grads[0].Data, 1e-8);
        TensorAssert.Close(GradientCheck.NumericGradient(() => RunFused(z, y).Cost.Data[0], y), grads[1].Data, 1e-8);
    }

    [Fact]
    public void LargeLogitsDoNotOverflow()
    {
        var (cost, grads) = OpHarness.Run(new SoftmaxCrossEntropyOp<double>(), Shape.Scalar,
            [new(Shape.Vector(2), [1000.0, -1000.0]), new(Shape.Vector(2), [0.0, 1.0]), new(Shape.Vector(2), [1.0, 0.0])], [1.0]);
        Assert.Equal(2000, cost.Data[0], 1e-9);
        TensorAssert.Close([1, -1], grads[0].Data);
    }
}
