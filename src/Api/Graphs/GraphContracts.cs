using System.Text.Json;
using System.Text.Json.Nodes;
using BackpropService.Api.Networks;

namespace BackpropService.Api.Graphs;

/// <summary>A graph and the values of its leaves; <c>root</c> (default: the graph's output) is what is differentiated.</summary>
public sealed record EvaluateGraphRequest
{
    public GraphRequest? Graph { get; init; }
    public Dictionary<string, JsonElement>? Inputs { get; init; }
    public Dictionary<string, JsonElement>? Parameters { get; init; }
    public string? Root { get; init; }
}

/// <summary>Values and gradients are numbers for scalars and (nested) arrays for tensors; non-finite values are null.</summary>
public sealed record GraphEvaluationResponse(
    JsonNode? Value,
    IReadOnlyDictionary<string, JsonNode?> Gradients,
    IReadOnlyList<EvaluatedNodeResponse> Nodes,
    IReadOnlyList<EvaluatedEdgeResponse> Edges);

public sealed record EvaluatedNodeResponse(string Id, string Op, IReadOnlyList<string> Inputs, int[] Shape, JsonNode? Value, JsonNode? Gradient);

public sealed record EvaluatedEdgeResponse(string From, string To, double? LocalDerivative);
