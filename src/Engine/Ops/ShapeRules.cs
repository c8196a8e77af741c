using BackpropService.Engine.Kernels;

namespace BackpropService.Engine.Ops;

/// <summary>Output shapes shared by families of ops (an op with a rule of its own states it in its file); a mismatch throws naming both shapes.</summary>
internal static class ShapeRules
{
    public static Shape Same(Shape[] inputs) => inputs[0];

    public static Shape Broadcasting(Shape[] inputs) =>
        Broadcast.TryResultShape(inputs[0], inputs[1], out var result)
            ? result
            : throw new ArgumentException($"shapes {inputs[0]} and {inputs[1]} cannot be broadcast together " +
                                          "(each dimension must be equal, or 1 in one of them).");

    public static Shape Reduction(Shape[] inputs) => Shape.Scalar;

    public static Shape Loss(Shape[] inputs)
    {
        var (prediction, target) = (inputs[0], inputs[1]);
        if (prediction.Rows != target.Rows || prediction.Cols != target.Cols)
            throw new ArgumentException($"prediction {prediction} and target {target} must have the same shape.");
        return Shape.Scalar;
    }
}
