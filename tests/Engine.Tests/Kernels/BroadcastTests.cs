using BackpropService.Engine.Graphs;
using BackpropService.Engine.Kernels;
using BackpropService.Engine.Tests.Ops;

namespace BackpropService.Engine.Tests.Kernels;

public class BroadcastTests
{
    public static TheoryData<string> BinaryOps => new() { "add", "sub", "mul", "div" };

    private static double Apply(string op, double a, double b) => op switch
    {
        "add" => a + b, "sub" => a - b, "mul" => a * b, "div" => a / b, _ => throw new ArgumentException(op),
    };

    /// <summary>Operand values kept away from 0, so div's denominators are safe whichever operand is repeated.</summary>
    private static TensorData Operand(int seed, params int[] dimensions) =>
        Nodes.Random(new Random(seed), dimensions, 0.5, 2, signed: true);

    private static void AssertForward(string op, TensorData a, TensorData b, int rows, int cols)
    {
        var y = OpHarness.Forward(op, a, b);
        var expected = new double[rows * cols];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
                expected[r * cols + c] = Apply(op, Element(a, r, c), Element(b, r, c));
        TensorAssert.Close(expected, y.Values, 1e-15);
    }

    /// <summary>Element (r, c) of an operand repeated along whichever of its axes has length 1.</summary>
    private static double Element(TensorData x, int r, int c)
    {
        var shape = x.Shape;
        return x.Values[(shape.Rows == 1 ? 0 : r) * shape.Cols + (shape.Cols == 1 ? 0 : c)];
    }

    [Theory]
    [MemberData(nameof(BinaryOps))]
    public void BiasVectorOverABatchBroadcastsAlongRows(string op)
    {
        var (a, b) = (Operand(1, 3, 4), Operand(2, 4));
        Assert.Equal([3, 4], OpHarness.Forward(op, a, b).Dimensions);
        AssertForward(op, a, b, 3, 4);
        OpHarness.VerifyGradient(op, a, b);
        OpHarness.VerifyGradient(op, b, a);
    }

    [Theory]
    [MemberData(nameof(BinaryOps))]
    public void ScalarWithAMatrixBroadcastsEverywhereInEitherOrder(string op)
    {
        var (a, b) = (Operand(3, 3, 4), Operand(4));
        AssertForward(op, a, b, 3, 4);
        AssertForward(op, b, a, 3, 4);
        OpHarness.VerifyGradient(op, a, b);
        OpHarness.VerifyGradient(op, b, a);
    }

    [Theory]
    [MemberData(nameof(BinaryOps))]
    public void ColumnBroadcastsAlongColumns(string op)
    {
        var (a, b) = (Operand(5, 3, 4), Operand(6, 3, 1));
        AssertForward(op, a, b, 3, 4);
        AssertForward(op, b, a, 3, 4);
        OpHarness.VerifyGradient(op, a, b);
        OpHarness.VerifyGradient(op, b, a);
    }

    [Theory]
    [MemberData(nameof(BinaryOps))]
    public void ColumnWithARowVectorMakesTheOuterGrid(string op)
    {
        var (a, b) = (Operand(7, 3, 1), Operand(8, 4));
        Assert.Equal([3, 4], OpHarness.Forward(op, a, b).Dimensions);
        AssertForward(op, a, b, 3, 4);
        OpHarness.VerifyGradient(op, a, b);
        OpHarness.VerifyGradient(op, b, a);
    }

    [Theory]
    [MemberData(nameof(BinaryOps))]
    public void ScalarWithAVectorBroadcasts(string op)
    {
        var (a, b) = (Operand(9, 5), Operand(10));
        AssertForward(op, a, b, 1, 5);
        OpHarness.VerifyGradient(op, a, b);
        OpHarness.VerifyGradient(op, b, a);
    }

    public static TheoryData<int> Lengths => new() { 0, 1, 7, 8, 9, 33, 512 };

    [Theory]
    [MemberData(nameof(Lengths))]
    public void RowKernelsBroadcastAOneElementOperandOnEitherSideAtEveryLength(int length)
    {
        // Lengths around the vector widths hit the vectorised bodies and their scalar tails, in float32 as training runs.
        var random = new Random(length);
        var x = Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() + 0.5)).ToArray();
        var y = Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() + 0.5)).ToArray();
        float[] s = [1.75f];
        var d = new float[length];
        foreach (var op in new[] { "add", "sub", "mul", "div" })
        {
            (float[] A, float[] B, Func<int, float> Expected)[] cases =
            [
                (x, y, i => (float)Apply(op, x[i], y[i])),
                (x, s, i => (float)Apply(op, x[i], s[0])),
                (s, y, i => (float)Apply(op, s[0], y[i])),
            ];
            foreach (var (a, b, expected) in cases)
            {
                switch (op)
                {
                    case "add": Broadcast.Add<float>(a, b, d); break;
                    case "sub": Broadcast.Subtract<float>(a, b, d); break;
                    case "mul": Broadcast.Multiply<float>(a, b, d); break;
                    default: Broadcast.Divide<float>(a, b, d); break;
                }
                for (var i = 0; i < length; i++) Assert.Equal(expected(i), d[i], 1e-6f);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void AccumulatingARowIntoABroadcastOperandSumsIt(int length)
    {
        var contribution = Enumerable.Range(0, length).Select(i => (float)(i % 5) - 1.5f).ToArray();
        var full = new Tensor<float>(Shape.Matrix(2, length));
        Broadcast.AccumulateRow<float>(full, 1, contribution);
        Broadcast.AccumulateRow<float>(full, 1, contribution);
        Assert.Equal(contribution.Select(c => 2 * c), full.Row(1).ToArray());
        if (length == 0) return;
        var column = new Tensor<float>(Shape.Matrix(2, 1), [0.5f, 0]);
        Broadcast.AccumulateRow<float>(column, 0, contribution);
        Assert.Equal(0.5f + contribution.Sum(), column.Data[0], 1e-4f);
    }

    [Fact]
    public void BiasGradientIsTheColumnSumOfTheOutputGradient()
    {
        // root = sum((x + bias) ⊙ w): d root / d bias[c] = Σ_r w[r, c], the repeated axis summed away.
        var w = Operand(11, 3, 4);
        var plan = GradientCheck.Compile(new(
        [
            Nodes.Parameter("x", Operand(12, 3, 4)), Nodes.Parameter("bias", Operand(13, 4)), Nodes.Constant("w", w),
            Nodes.Op("y", "add", "x", "bias"), Nodes.Op("weighted", "mul", "y", "w"), Nodes.Op("root", "sum", "weighted"),
        ], "root"), "root");
        var expected = Enumerable.Range(0, 4).Select(c => Enumerable.Range(0, 3).Sum(r => w.Values[r * 4 + c])).ToArray();
        TensorAssert.Close(expected, plan.Gradients[plan.Graph.IndexById["bias"]]!.Data, 1e-15);
        TensorAssert.Close(w.Values, plan.Gradients[plan.Graph.IndexById["x"]]!.Data, 0);
    }

    [Theory]
    [InlineData(new[] { 3, 4 }, new[] { 4 }, new[] { 3, 4 })]
    [InlineData(new[] { 3, 4 }, new int[0], new[] { 3, 4 })]
    [InlineData(new[] { 3, 1 }, new[] { 1, 4 }, new[] { 3, 4 })]
    [InlineData(new[] { 5 }, new int[0], new[] { 5 })]
    [InlineData(new int[0], new int[0], new int[0])]
    [InlineData(new[] { 1 }, new[] { 3, 1 }, new[] { 3, 1 })]
    public void ResultShapeFollowsNumpyRules(int[] a, int[] b, int[] expected)
    {
        Assert.True(Broadcast.TryResultShape(Shape.FromDimensions(a), Shape.FromDimensions(b), out var result));
        Assert.Equal(expected, result.ToDimensions());
    }

    [Theory]
    [InlineData(new[] { 3, 4 }, new[] { 3 })]
    [InlineData(new[] { 3, 4 }, new[] { 2, 4 })]
    [InlineData(new[] { 3, 1 }, new[] { 2, 1 })]
    public void IncompatibleShapesDoNotBroadcast(int[] a, int[] b) =>
        Assert.False(Broadcast.TryResultShape(Shape.FromDimensions(a), Shape.FromDimensions(b), out _));

    [Fact]
    public void IncompatibleOperandsFailValidationNamingTheNodeAndBothShapes()
    {
        var network = () => Network.FromGraph(new GraphDefinition(
        [
            Nodes.Input("x", 4), Nodes.Parameter("b", Operand(2, 3)), Nodes.Op("sum", "add", "x", "b"),
        ], "sum"));
        var error = Assert.Throws<GraphValidationException>(network);
        Assert.Equal("graph.nodes[2]", error.Location);
        Assert.Equal("Node 'sum' (add) of 'x' [1, 4], 'b' [3]: shapes [1, 4] and [3] cannot be broadcast together " +
                     "(each dimension must be equal, or 1 in one of them).", error.Message);
    }
}
