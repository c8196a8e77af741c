using BackpropService.Api.Infrastructure;
using BackpropService.Engine;

namespace BackpropService.Api.Graphs;

/// <summary>Shapes the engine's <see cref="GraphEvaluation"/> into the contract's JSON.</summary>
public static class GraphEvaluationMapper
{
    public static GraphEvaluationResponse ToResponse(GraphEvaluation evaluation) => new(
        TensorJson.Write(evaluation.Value),
        evaluation.Gradients.ToDictionary(g => g.Key, g => TensorJson.Write(g.Value)),
        evaluation.Nodes.Select(n => new EvaluatedNodeResponse(n.Id, n.Op, n.Inputs, n.Shape, TensorJson.Write(n.Value), TensorJson.Write(n.Gradient))).ToList(),
        evaluation.Edges.Select(e => new EvaluatedEdgeResponse(e.From, e.To, e.LocalDerivative is { } d ? Finite.OrNull(d) : null)).ToList());
}
