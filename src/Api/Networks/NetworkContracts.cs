using System.Text.Json;
using System.Text.Json.Nodes;

namespace BackpropService.Api.Networks;

/// <summary>A network as a client posts it: either layered (<c>inputs</c> + <c>layers</c> + <c>loss</c>) or as a <c>graph</c>.</summary>
public sealed record CreateNetworkRequest
{
    public string? Name { get; init; }
    public int? Inputs { get; init; }
    public IReadOnlyList<LayerRequest>? Layers { get; init; }
    public string? Loss { get; init; }
    public GraphRequest? Graph { get; init; }
}

public sealed record LayerRequest
{
    public int Units { get; init; }
    public string? Activation { get; init; }
    public string? Init { get; init; }
    public double[][]? Weights { get; init; }
    public double[]? Bias { get; init; }
}

public sealed record GraphRequest
{
    public IReadOnlyList<NodeRequest>? Nodes { get; init; }
    public string? Output { get; init; }
    public string? Loss { get; init; }
}

public sealed record NodeRequest
{
    public string? Id { get; init; }
    public string? Op { get; init; }
    public IReadOnlyList<string>? Inputs { get; init; }
    public int[]? Shape { get; init; }
    public string? Init { get; init; }

    /// <summary>A number, an array of numbers or an array of rows (for <c>parameter</c> and <c>constant</c>).</summary>
    public JsonElement? Value { get; init; }

    public double? Exponent { get; init; }
    public double? Alpha { get; init; }
}

public sealed record NetworkResponse(
    string Id,
    string Name,
    int? Inputs,
    int? Outputs,
    long ParameterCount,
    GraphResponse? Graph,
    DateTime CreatedAt);

/// <summary>The graph for drawing: nodes with per-row shapes, and the edges between them.</summary>
public sealed record GraphResponse(IReadOnlyList<GraphNodeResponse> Nodes, IReadOnlyList<GraphEdgeResponse> Edges, string Output, string? Loss);

public sealed record GraphNodeResponse(string Id, string Op, IReadOnlyList<string> Inputs, int[]? Shape, string? Init, JsonNode? Value, double? Exponent, double? Alpha);

public sealed record GraphEdgeResponse(string From, string To);

public sealed record Page<T>(IReadOnlyList<T> Items, string? Next);
