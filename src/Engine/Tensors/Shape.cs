namespace BackpropService.Engine;

/// <summary>
/// The shape of a tensor of rank 0 (scalar), 1 (vector) or 2 (matrix, row-major).
/// Kernels see every shape as Rows × Cols: a scalar is 1 × 1 and a vector of n is one row of n,
/// which is what lets a bias vector broadcast over a batch without a special case.
/// </summary>
public readonly record struct Shape
{
    private Shape(int rank, int rows, int cols) => (Rank, Rows, Cols) = (rank, rows, cols);

    public int Rank { get; }
    public int Rows { get; }
    public int Cols { get; }
    public int Length => Rows * Cols;

    public static Shape Scalar { get; } = new(0, 1, 1);
    public static Shape Vector(int length) => new(1, 1, NonNegative(length));
    public static Shape Matrix(int rows, int cols) => new(2, NonNegative(rows), NonNegative(cols));

    /// <summary>Builds a shape from its dimensions as JSON carries them: [], [n] or [r, c].</summary>
    public static Shape FromDimensions(IReadOnlyList<int> dimensions) => dimensions.Count switch
    {
        0 => Scalar,
        1 => Vector(dimensions[0]),
        2 => Matrix(dimensions[0], dimensions[1]),
        _ => throw new ArgumentException($"Tensors have at most 2 dimensions; got {dimensions.Count}."),
    };

    public int[] ToDimensions() => Rank switch { 0 => [], 1 => [Cols], _ => [Rows, Cols] };

    public override string ToString() => "[" + string.Join(", ", ToDimensions()) + "]";

    private static int NonNegative(int n) =>
        n >= 0 ? n : throw new ArgumentException($"A dimension must not be negative; got {n}.");
}
