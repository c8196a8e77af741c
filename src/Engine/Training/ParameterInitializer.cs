using System.Numerics;
using BackpropService.Engine.Graphs;

namespace BackpropService.Engine.Training;

/// <summary>
/// Starting values of parameters, drawn from the job's seeded generator in node order so a seed fixes them.
/// xavier: U(±√(6/(fanIn+fanOut))); he: U(±√(6/fanIn)); uniform: U(±1/√fanIn) (PyTorch's Linear default); zeros.
/// A matrix [r, c] has fanIn r and fanOut c; a vector or scalar counts its length for both.
/// </summary>
internal static class ParameterInitializer
{
    public static IReadOnlyList<string> Names { get; } = ["xavier", "he", "uniform", "zeros"];

    public static Tensor<T> Create<T>(NodeDefinition node, Rng rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (node.Value is not null) return node.Value.ToTensor<T>();
        var shape = Shape.FromDimensions(node.Shape!);
        var tensor = new Tensor<T>(shape);
        var init = node.Init ?? (shape.Rank == 2 ? "xavier" : "zeros");
        var (fanIn, fanOut) = shape.Rank == 2 ? (shape.Rows, shape.Cols) : (shape.Length, shape.Length);
        var limit = init switch
        {
            "xavier" => Math.Sqrt(6.0 / (fanIn + fanOut)),
            "he" => Math.Sqrt(6.0 / fanIn),
            "uniform" => 1.0 / Math.Sqrt(fanIn),
            "zeros" => 0.0,
            _ => throw new ArgumentException($"Unknown init '{init}' for parameter '{node.Id}'."),
        };
        if (limit == 0.0) return tensor;
        for (var i = 0; i < tensor.Length; i++) tensor.Data[i] = T.CreateChecked((2.0 * rng.NextDouble() - 1.0) * limit);
        return tensor;
    }
}
