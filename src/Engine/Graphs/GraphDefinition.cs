namespace BackpropService.Engine.Graphs;

/// <summary>
/// A computational graph as data: its nodes, the node whose value is the network's output,
/// and (for a graph that trains) the scalar loss node, which consumes the <c>target</c> node.
/// </summary>
public sealed record GraphDefinition(IReadOnlyList<NodeDefinition> Nodes, string Output, string? Loss = null);
