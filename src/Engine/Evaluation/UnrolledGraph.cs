using BackpropService.Engine.Graphs;

namespace BackpropService.Engine;

/// <summary>A scalar graph made from a tensor graph, with the values of its input and target elements.</summary>
internal sealed record UnrolledGraph(GraphDefinition Graph, IReadOnlyDictionary<string, TensorData> LeafValues);
