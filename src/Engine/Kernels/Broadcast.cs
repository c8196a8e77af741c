using System.Numerics;
using System.Numerics.Tensors;

namespace BackpropService.Engine.Kernels;

/// <summary>
/// Two-dimensional broadcasting, numpy style: an operand whose rows (or columns) number 1 is repeated along
/// that axis. A bias vector [c] over a batch [r, c] is the case that matters; scalars fall out of the same rule.
/// </summary>
internal static class Broadcast
{
    public static bool TryResultShape(Shape a, Shape b, out Shape result)
    {
        result = default;
        if (!Compatible(a.Rows, b.Rows) || !Compatible(a.Cols, b.Cols)) return false;
        var rows = Math.Max(a.Rows, b.Rows);
        var cols = Math.Max(a.Cols, b.Cols);
        result = Math.Max(a.Rank, b.Rank) switch
        {
            0 => Shape.Scalar,
            1 => Shape.Vector(cols),
            _ => Shape.Matrix(rows, cols),
        };
        return true;

        static bool Compatible(int x, int y) => x == y || x == 1 || y == 1;
    }

    /// <summary>The part of operand <paramref name="x"/> that lines up with output row <paramref name="row"/>:
    /// a full row, or one element when <paramref name="x"/> is broadcast along the columns.</summary>
    public static Span<T> RowOf<T>(Tensor<T> x, int row) where T : unmanaged, IFloatingPointIeee754<T> =>
        x.Data.AsSpan((x.Shape.Rows == 1 ? 0 : row) * x.Shape.Cols, x.Shape.Cols);

    /// <summary>Adds one output row's gradient contribution into a (possibly broadcast) operand's gradient:
    /// effectively grad[row] += contribution, summed over whichever axis the operand was repeated along.</summary>
    public static void AccumulateRow<T>(Tensor<T> grad, int row, ReadOnlySpan<T> contribution)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var target = RowOf(grad, row);
        if (target.Length == contribution.Length) TensorPrimitives.Add(target, contribution, target);
        else target[0] += TensorPrimitives.Sum(contribution);
    }

    /// <summary>Effectively computes d = x ⊙ y where either operand may be a one-element (scalar) row.</summary>
    public static void Multiply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length == d.Length && y.Length == d.Length) TensorPrimitives.Multiply(x, y, d);
        else if (x.Length == d.Length) TensorPrimitives.Multiply(x, y[0], d);
        else if (y.Length == d.Length) TensorPrimitives.Multiply(y, x[0], d);
        else d.Fill(x[0] * y[0]);
    }

    /// <summary>Effectively computes d = x + y where either operand may be a one-element (scalar) row.</summary>
    public static void Add<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length == d.Length && y.Length == d.Length) TensorPrimitives.Add(x, y, d);
        else if (x.Length == d.Length) TensorPrimitives.Add(x, y[0], d);
        else if (y.Length == d.Length) TensorPrimitives.Add(y, x[0], d);
        else d.Fill(x[0] + y[0]);
    }

    /// <summary>Effectively computes d = x − y where either operand may be a one-element (scalar) row.</summary>
    public static void Subtract<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length == d.Length && y.Length == d.Length) TensorPrimitives.Subtract(x, y, d);
        else if (x.Length == d.Length) TensorPrimitives.Subtract(x, y[0], d);
        else if (y.Length == d.Length) TensorPrimitives.Subtract(x[0], y, d);
        else d.Fill(x[0] - y[0]);
    }

    /// <summary>Effectively computes d = x / y where either operand may be a one-element (scalar) row.</summary>
    public static void Divide<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length == d.Length && y.Length == d.Length) TensorPrimitives.Divide(x, y, d);
        else if (x.Length == d.Length) TensorPrimitives.Divide(x, y[0], d);
        else if (y.Length == d.Length) TensorPrimitives.Divide(x[0], y, d);
        else d.Fill(x[0] / y[0]);
    }
}
