using System.Text.Json;

namespace BackpropService.Client.Models;

/// <summary>A network in the layered form (<see cref="Layers"/>) or the graph form (<see cref="Graph"/>), as <c>POST /api/networks</c> takes it.</summary>
public sealed record NetworkDefinition
{
    public string? Name { get; init; }
    public int? Inputs { get; init; }
    public IReadOnlyList<LayerDefinition>? Layers { get; init; }
    public string? Loss { get; init; }
    public GraphDefinition? Graph { get; init; }
}

public sealed record LayerDefinition
{
    public int Units { get; init; }
    public string? Activation { get; init; }
    public string? Init { get; init; }
    public double[][]? Weights { get; init; }
    public double[]? Bias { get; init; }
}

/// <summary>An explicit computational graph: nodes, the output node's id and, for a graph that trains, its loss node.</summary>
public sealed record GraphDefinition
{
    public IReadOnlyList<NodeDefinition>? Nodes { get; init; }
    public string? Output { get; init; }
    public string? Loss { get; init; }
}

public sealed record NodeDefinition
{
    public string? Id { get; init; }
    public string? Op { get; init; }
    public IReadOnlyList<string>? Inputs { get; init; }
    public int[]? Shape { get; init; }
    public string? Init { get; init; }
    /// <summary>A number or a nested array (<c>constant</c>, or a <c>parameter</c>'s starting value).</summary>
    public JsonElement? Value { get; init; }
    public double? Exponent { get; init; }
    public double? Alpha { get; init; }
}

public sealed record Network(
    string Id, string Name, int? Inputs, int? Outputs, long ParameterCount, GraphShape? Graph, DateTime CreatedAt);

/// <summary>A graph for drawing: its nodes (with shapes) and edges.</summary>
public sealed record GraphShape(IReadOnlyList<GraphNode> Nodes, IReadOnlyList<GraphEdge> Edges, string Output, string? Loss);

public sealed record GraphNode(string Id, string Op, IReadOnlyList<string> Inputs, int[]? Shape, string? Init, JsonElement? Value, double? Exponent, double? Alpha);

public sealed record GraphEdge(string From, string To);
