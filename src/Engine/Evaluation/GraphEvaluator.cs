using BackpropService.Engine.Graphs;
using BackpropService.Engine.Ops;
using BackpropService.Engine.Training;

namespace BackpropService.Engine;

/// <summary>The chain rule on demand, in float64: values, gradients of a chosen root, and per-edge local derivatives.</summary>
public static class GraphEvaluator
{
    /// <param name="network">The graph.</param>
    /// <param name="leafValues">Values of input and target nodes (and optionally constants) by node id.</param>
    /// <param name="parameters">Parameter values; null uses the graph's own values and initialisers (seed 0).</param>
    /// <param name="root">The node differentiated: the output, or the loss.</param>
    public static GraphEvaluation Evaluate(Network network, IReadOnlyDictionary<string, TensorData> leafValues,
        IReadOnlyList<NamedTensor>? parameters, string root)
    {
        var graph = network.Validated;
        if (!graph.IndexById.TryGetValue(root, out var rootIndex)) throw new ArgumentException($"'{root}' is not the id of a node.");
        CheckLeaves(graph, leafValues);

        var parameterSet = ParameterSet<double>.Initialize(graph, new Rng(0));
        if (parameters is not null) parameterSet.Load(parameters);
        var shapes = ShapeInference.Infer(graph, i => leafValues.TryGetValue(graph.Nodes[i].Id, out var v) ? v.Shape : null);
        var plan = new Plan<double>(graph, shapes, parameterSet, rootIndex, GradientMode.All);
        foreach (var (id, value) in leafValues) value.ToTensor<double>().Data.CopyTo(plan.Value(id).Data, 0);
        plan.Forward();
        plan.Backward();

        var nodes = graph.Nodes.Select((node, i) => new EvaluatedNode(node.Id, node.Op, node.Inputs, shapes[i].ToDimensions(),
            TensorData.From(plan.Values[i]), TensorData.From(plan.Gradients[i] ?? new Tensor<double>(shapes[i])))).ToArray();
        var gradients = nodes.Where((_, i) => graph.Kinds[i] is OpKind.Input or OpKind.Parameter)
            .ToDictionary(n => n.Id, n => n.Gradient);
        var edges = graph.Nodes.SelectMany((node, i) => graph.Operands[i].Select((operand, k) =>
            new EvaluatedEdge(graph.Nodes[operand].Id, node.Id, LocalDerivative(plan, shapes, i, k)))).ToArray();
        return new GraphEvaluation(TensorData.From(plan.Values[rootIndex]), gradients, nodes, edges);
    }

    /// <summary>
    /// One training row, differentiated from the loss with the given parameters. With <paramref name="unroll"/>, every
    /// tensor operation is first expanded into scalar operations, so every edge carries one number.
    /// </summary>
    public static GraphEvaluation EvaluateRow(Network network, IReadOnlyList<NamedTensor> parameters, double[] features,
        double[] targets, bool unroll, int maxNodes)
    {
        var (input, target) = TrainableGraph.InputAndTarget(network.Validated);
        var leaves = new Dictionary<string, TensorData>
        {
            [network.Validated.Nodes[input].Id] = new([1, features.Length], features),
            [network.Validated.Nodes[target].Id] = new([1, targets.Length], targets),
        };
        var loss = network.Graph.Loss!;
        if (!unroll) return Evaluate(network, leaves, parameters, loss);

        var unrolled = GraphUnroller.Unroll(network, leaves, parameters, maxNodes);
        return Evaluate(Network.FromGraph(unrolled.Graph), unrolled.LeafValues, null, loss);
    }

    /// <summary>Every leaf value names an input, target or constant node, and a constant's value keeps its shape.</summary>
    internal static void CheckLeaves(ValidatedGraph graph, IReadOnlyDictionary<string, TensorData> leafValues)
    {
        foreach (var (id, value) in leafValues)
        {
            if (!graph.IndexById.TryGetValue(id, out var i) || graph.Kinds[i] is not (OpKind.Input or OpKind.Target or OpKind.Constant))
                throw new GraphValidationException($"inputs.{id}", $"'{id}' is not an input, target or constant node of the graph.");
            // A constant's buffer has its declared shape; a value of another shape would be copied in part, or overflow it.
            if (graph.Kinds[i] == OpKind.Constant && value.Shape != graph.Nodes[i].Value!.Shape)
                throw new GraphValidationException($"inputs.{id}",
                    $"Constant '{id}' has shape {graph.Nodes[i].Value!.Shape}; the value given has shape {value.Shape}.");
        }
    }

    private static double? LocalDerivative(Plan<double> plan, Shape[] shapes, int node, int operandPosition)
    {
        var graph = plan.Graph;
        var operands = graph.Operands[node];
        if (shapes[node] != Shape.Scalar || shapes[operands[operandPosition]] != Shape.Scalar) return null;

        // Run the node's own backward with d out = 1 into a fresh buffer for this one operand: that is d out / d operand.
        var op = OpRegistry.Create<double>(graph.Nodes[node]);
        op.Prepare(operands.Select(o => shapes[o]).ToArray(), shapes[node]);
        var grads = new Tensor<double>?[operands.Length];
        grads[operandPosition] = new Tensor<double>(Shape.Scalar);
        op.Backward(operands.Select(o => plan.Values[o]).ToArray(), plan.Values[node], new Tensor<double>(Shape.Scalar, [1.0]), grads);
        return grads[operandPosition]!.Data[0];
    }
}
