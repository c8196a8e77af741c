namespace BackpropService.Engine;

/// <summary>A graph evaluated at a point: the root's value, every node's value and gradient, every edge's local derivative.</summary>
public sealed record GraphEvaluation(
    TensorData Value,
    IReadOnlyDictionary<string, TensorData> Gradients,
    IReadOnlyList<EvaluatedNode> Nodes,
    IReadOnlyList<EvaluatedEdge> Edges);

/// <summary>A node's value and d root / d node (same shape as the value).</summary>
public sealed record EvaluatedNode(string Id, string Op, IReadOnlyList<string> Inputs, int[] Shape, TensorData Value, TensorData Gradient);

/// <summary>
/// d to / d from on one edge where both ends are scalars, else null: the product of these along a path, summed over
/// the paths from a node to the root, is the node's gradient.
/// </summary>
public sealed record EvaluatedEdge(string From, string To, double? LocalDerivative);
