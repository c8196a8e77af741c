using System.Numerics;

namespace BackpropService.Engine;

/// <summary>A tensor's values as they cross the engine's boundary (JSON, storage): dimensions and row-major doubles.</summary>
public sealed record TensorData(int[] Dimensions, double[] Values)
{
    public Shape Shape => Shape.FromDimensions(Dimensions);

    public static TensorData Scalar(double value) => new([], [value]);

    public static TensorData From<T>(Tensor<T> tensor) where T : unmanaged, IFloatingPointIeee754<T> =>
        new(tensor.Shape.ToDimensions(), Array.ConvertAll(tensor.Data, double.CreateChecked));

    public Tensor<T> ToTensor<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = Shape;
        if (shape.Length != Values.Length)
            throw new ArgumentException($"Shape {shape} needs {shape.Length} values; got {Values.Length}.");
        return new Tensor<T>(shape, Array.ConvertAll(Values, T.CreateChecked));
    }
}
