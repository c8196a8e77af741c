using BackpropService.Engine.Graphs;

namespace BackpropService.Engine.Tests;

/// <summary>Short constructors for graph nodes and tensors, so a test's graph reads like its formula.</summary>
internal static class Nodes
{
    public static NodeDefinition Input(string id, params int[] shape) =>
        new() { Id = id, Op = "input", Shape = shape.Length == 0 ? null : shape };

    public static NodeDefinition Target(string id, params int[] shape) =>
        new() { Id = id, Op = "target", Shape = shape.Length == 0 ? null : shape };

    public static NodeDefinition Parameter(string id, TensorData value) => new() { Id = id, Op = "parameter", Value = value };

    public static NodeDefinition Constant(string id, double value) => Constant(id, TensorData.Scalar(value));

    public static NodeDefinition Constant(string id, TensorData value) => new() { Id = id, Op = "constant", Value = value };

    public static NodeDefinition Op(string id, string op, params string[] inputs) => new() { Id = id, Op = op, Inputs = inputs };

    public static NodeDefinition Pow(string id, string input, double exponent) =>
        new() { Id = id, Op = "pow", Inputs = [input], Exponent = exponent };

    public static TensorData Scalar(double value) => TensorData.Scalar(value);

    public static TensorData Vector(params double[] values) => new([values.Length], values);

    public static TensorData Matrix(double[,] values) =>
        new([values.GetLength(0), values.GetLength(1)], values.Cast<double>().ToArray());

    /// <summary>Values drawn uniformly from [low, high), or from ±[low, high) when <paramref name="signed"/>.</summary>
    public static TensorData Random(Random random, int[] dimensions, double low = -1, double high = 1, bool signed = false)
    {
        var values = new double[dimensions.Aggregate(1, (a, d) => a * d)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = low + (high - low) * random.NextDouble();
            if (signed && random.Next(2) == 0) values[i] = -values[i];
        }
        return new TensorData(dimensions, values);
    }
}
