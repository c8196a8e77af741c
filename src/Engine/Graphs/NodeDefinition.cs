
namespace BackpropService.Engine.Graphs;

/// <summary>One node of a graph as a client writes it: an operation and the ids of its operands, in order.</summary>
public sealed record NodeDefinition
{
    public required string Id { get; init; }
    public required string Op { get; init; }
    public IReadOnlyList<string> Inputs { get; init; } = [];

    /// <summary>Dimensions of a <c>parameter</c> (required) or an <c>input</c>/<c>target</c> row (optional).</summary>
    public int[]? Shape { get; init; }

    /// <summary>Initialiser of a <c>parameter</c>: xavier, he, uniform or zeros.</summary>
    public string? Init { get; init; }

    /// <summary>Starting value of a <c>parameter</c>, or the value of a <c>constant</c>.</summary>
    public TensorData? Value { get; init; }

    /// <summary>Exponent of <c>pow</c>.</summary>
    public double? Exponent { get; init; }

    /// <summary>Negative slope of <c>leaky_relu</c> (default 0.01).</summary>
    public double? Alpha { get; init; }
}
