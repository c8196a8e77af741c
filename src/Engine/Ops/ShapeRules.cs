using BackpropService.Engine.Kernels;

namespace BackpropService.Engine.Ops;

/// <summary>The output shape of each kind of op from its operands' shapes; a mismatch throws with both shapes named.</summary>
internal static class ShapeRules
{
    public static Shape Same(Shape[] inputs) => inputs[0];

    public static Shape Broadcasting(Shape[] inputs) =>
        Broadcast.TryResultShape(inputs[0], inputs[1], out var result)
            ? result
            : throw new ArgumentException($"shapes {inputs[0]} and {inputs[1]} cannot be broadcast together " +
                                          "(each dimension must be equal, or 1 in one of them).");

    public static Shape RowWise(Shape[] inputs) =>
        inputs[0].Rank >= 1 ? inputs[0] : throw new ArgumentException("softmax needs a vector or a matrix, got a scalar.");

    public static Shape MatrixProduct(Shape[] inputs)
    {
        var (a, b) = (inputs[0], inputs[1]);
        if (a.Rank == 0 || b.Rank != 2)
            throw new ArgumentException($"matmul needs a vector or matrix times a matrix; got {a} · {b}.");
        if (a.Cols != b.Rows)
            throw new ArgumentException($"matmul inner dimensions differ: {a} · {b} ({a.Cols} ≠ {b.Rows}).");
        return a.Rank == 1 ? Shape.Vector(b.Cols) : Shape.Matrix(a.Rows, b.Cols);
    }

    public static Shape Reduction(Shape[] inputs) => Shape.Scalar;

    public static Shape Loss(Shape[] inputs)
    {
        var (prediction, target) = (inputs[0], inputs[1]);
        if (prediction.Rows != target.Rows || prediction.Cols != target.Cols)
            throw new ArgumentException($"prediction {prediction} and target {target} must have the same shape.");
        return Shape.Scalar;
    }
}
