namespace BackpropService.Engine.Tests.Ops;

public class MatMulOpTests
{
    [Fact]
    public void ForwardMultipliesMatrices()
    {
        var a = Nodes.Matrix(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        var b = Nodes.Matrix(new double[,] { { 7, 8 }, { 9, 10 }, { 11, 12 } });
        TensorAssert.Close([2, 2], [58, 64, 139, 154], OpHarness.Forward("matmul", a, b));
    }

    [Fact]
    public void ForwardOfAVectorIsAVector()
    {
        var b = Nodes.Matrix(new double[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } });
        TensorAssert.Close([2], [1 - 3 + 10, 2 - 4 + 12], OpHarness.Forward("matmul", Nodes.Vector(1, -1, 2), b));
    }

    [Fact]
    public void ForwardWithZerosInTheLeftOperandSkipsNothingThatMatters()
    {
        // The kernel skips zero multipliers (ReLU outputs); the result must not change.
        var a = Nodes.Matrix(new double[,] { { 0, 2 }, { 0, 0 } });
        var b = Nodes.Matrix(new double[,] { { 1, 2 }, { 3, 4 } });
        TensorAssert.Close([2, 2], [6, 8, 0, 0], OpHarness.Forward("matmul", a, b));
    }

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        var random = new Random(6);
        OpHarness.VerifyGradient("matmul", Nodes.Random(random, [3, 4]), Nodes.Random(random, [4, 5]));
    }

    [Fact]
    public void GradientOfAVectorTimesAMatrixMatchesFiniteDifferences()
    {
        var random = new Random(7);
        OpHarness.VerifyGradient("matmul", Nodes.Random(random, [4]), Nodes.Random(random, [4, 2]));
    }

    [Fact]
    public void GradientOfAnOuterProductMatchesFiniteDifferences()
    {
        var random = new Random(8);
        OpHarness.VerifyGradient("matmul", Nodes.Random(random, [3, 1]), Nodes.Random(random, [1, 4]));
    }

    [Fact]
    public void SquareMatrixTimesItselfCollectsBothOperandsGradients()
    {
        var a = Nodes.Random(new Random(9), [3, 3]);
        var weights = Nodes.Random(new Random(10), [3, 3], 0.5, 2, signed: true);
        GradientCheck.Verify(new(
        [
            Nodes.Parameter("a", a), Nodes.Op("aa", "matmul", "a", "a"), Nodes.Constant("w", weights),
            Nodes.Op("weighted", "mul", "aa", "w"), Nodes.Op("root", "sum", "weighted"),
        ], "root"), "root");
    }
}
