using System.Numerics;

namespace BackpropService.Engine;

/// <summary>Dense, contiguous, row-major storage with a shape; no autograd state lives here.</summary>
public sealed class Tensor<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public Tensor(Shape shape) : this(shape, new T[shape.Length]) { }

    public Tensor(Shape shape, T[] data)
    {
        if (data.Length != shape.Length)
            throw new ArgumentException($"Shape {shape} needs {shape.Length} values; got {data.Length}.");
        Shape = shape;
        Data = data;
    }

    public Shape Shape { get; }
    public T[] Data { get; }
    public Span<T> Span => Data;
    public int Length => Data.Length;

    public Span<T> Row(int row) => Data.AsSpan(row * Shape.Cols, Shape.Cols);

    public T this[int row, int col]
    {
        get => Data[row * Shape.Cols + col];
        set => Data[row * Shape.Cols + col] = value;
    }

    public void Clear() => Array.Clear(Data);
}
