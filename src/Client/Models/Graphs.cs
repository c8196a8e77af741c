using System.Text.Json;

namespace BackpropService.Client.Models;

/// <summary><c>POST /api/graphs/evaluate</c>: a graph and a value (number or array) for each of its inputs.</summary>
public sealed record GraphEvaluationRequest
{
    public GraphDefinition? Graph { get; init; }
    public IReadOnlyDictionary<string, JsonElement>? Inputs { get; init; }
    public IReadOnlyDictionary<string, JsonElement>? Parameters { get; init; }
}

/// <summary>
/// A graph evaluated forward and backward: the output's value, d output / d input for every input and parameter,
/// each node's value and gradient and each edge's local derivative (null where an end is not a scalar).
/// </summary>
public sealed record GraphEvaluation(
    JsonElement Value,
    IReadOnlyDictionary<string, JsonElement> Gradients,
    IReadOnlyList<EvaluatedNode> Nodes,
    IReadOnlyList<EvaluatedEdge> Edges);

public sealed record EvaluatedNode(string Id, string Op, IReadOnlyList<string> Inputs, int[] Shape, JsonElement? Value, JsonElement? Gradient);

public sealed record EvaluatedEdge(string From, string To, double? LocalDerivative);
