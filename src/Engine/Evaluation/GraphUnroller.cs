using BackpropService.Engine.Graphs;
using BackpropService.Engine.Ops;
using BackpropService.Engine.Training;

namespace BackpropService.Engine;

/// <summary>
/// Expands every tensor operation into scalar ones (one node per weight, product, partial sum and activation), as the
/// chain-rule textbook pictures draw a network. Element nodes are named <c>id[c]</c> or <c>id[r,c]</c>; a matrix
/// product's element <c>id[i,j]</c> is the last of the partial sums <c>id[i,j]+k</c> of the products <c>id[i,j]*k</c>.
/// Each op states its own expansion (<see cref="OpDefinition.Unroll"/>); this class walks the graph and offers the
/// building blocks (elementwise copies, partial-sum chains, scaling).
/// </summary>
internal sealed class GraphUnroller
{
    private readonly List<NodeDefinition> _nodes = [];
    private readonly Dictionary<string, TensorData> _leaves = new(StringComparer.Ordinal);
    private readonly int _maxNodes;

    private GraphUnroller(int maxNodes) => _maxNodes = maxNodes;

    public static UnrolledGraph Unroll(Network network, IReadOnlyDictionary<string, TensorData> leafValues,
        IReadOnlyList<NamedTensor> parameters, int maxNodes)
    {
        var graph = network.Validated;
        var parameterSet = ParameterSet<double>.Initialize(graph, new Rng(0));
        parameterSet.Load(parameters);
        var values = parameterSet.NodeIndices.Select((node, p) => (node, parameterSet.Tensors[p])).ToDictionary(x => x.node, x => x.Item2);
        var shapes = ShapeInference.Infer(graph, i => leafValues.TryGetValue(graph.Nodes[i].Id, out var v) ? v.Shape : null);

        var unroller = new GraphUnroller(maxNodes);
        var elements = new string[graph.Nodes.Count][];
        foreach (var i in graph.Order)
        {
            var node = graph.Nodes[i];
            var leafValue = graph.Kinds[i] switch
            {
                OpKind.Parameter => values[i].Data,
                OpKind.Constant => node.Value!.Values,
                OpKind.Input or OpKind.Target => leafValues[node.Id].Values,
                _ => null,
            };
            elements[i] = leafValue is not null
                ? unroller.Leaf(node, graph.Kinds[i], shapes[i], leafValue)
                : OpRegistry.Get(node.Op).Unroll(unroller, node, shapes[i],
                    graph.Operands[i].Select(o => new UnrolledOperand(elements[o], shapes[o])).ToArray());
        }

        var output = elements[graph.OutputIndex][0];
        var loss = graph.LossIndex is { } l ? elements[l][0] : null;
        return new UnrolledGraph(new GraphDefinition(unroller._nodes, output, loss), unroller._leaves);
    }

    private string[] Leaf(NodeDefinition node, OpKind kind, Shape shape, IReadOnlyList<double> values)
    {
        var ids = new string[shape.Length];
        for (var k = 0; k < ids.Length; k++)
        {
            ids[k] = ElementId(node.Id, shape, k);
            var scalar = TensorData.Scalar(values[k]);
            if (kind is OpKind.Input or OpKind.Target)
            {
                Add(new NodeDefinition { Id = ids[k], Op = node.Op });
                _leaves[ids[k]] = scalar;
            }
            else Add(new NodeDefinition { Id = ids[k], Op = node.Op, Value = scalar });
        }
        return ids;
    }

    /// <summary>Unary and broadcasting binary ops: one scalar node of the same op per output element.</summary>
    public string[] Elementwise(NodeDefinition node, Shape shape, UnrolledOperand[] operands)
    {
        var ids = new string[shape.Length];
        for (var k = 0; k < ids.Length; k++)
        {
            var (r, c) = (k / shape.Cols, k % shape.Cols);
            ids[k] = ElementId(node.Id, shape, k);
            Add(node with { Id = ids[k], Inputs = operands.Select(o => BroadcastElement(o, r, c)).ToArray() });
        }
        return ids;
    }

    /// <summary>A loss over tensors as the same loss on each element pair, summed, divided by what the loss averages over.</summary>
    public string ElementwiseLoss(NodeDefinition node, UnrolledOperand[] operands, int divisor)
    {
        var (predictions, targets) = (operands[0].Ids, operands[1].Ids);
        if (predictions.Length == 1)
        {
            Add(node with { Inputs = [predictions[0], targets[0]] });
            return node.Id;
        }
        var terms = predictions.Select((p, k) =>
        {
            var termId = $"{node.Id}[{k}]";
            Add(node with { Id = termId, Inputs = [p, targets[k]] });
            return termId;
        }).ToArray();
        // Each scalar term already divides by its own count of 1; the tensor loss averages over `divisor`.
        return divisor == 1 ? SumChain(node.Id, terms) : Scale(node.Id, SumChain($"{node.Id}.sum", terms), divisor);
    }

    /// <summary>Left-to-right partial sums ending in a node called <paramref name="id"/>.</summary>
    public string SumChain(string id, string[] terms)
    {
        if (terms.Length == 1)
        {
            Add(new NodeDefinition { Id = id, Op = "mul", Inputs = [terms[0], Constant($"{id}.one", 1.0)] });
            return id;
        }
        var running = terms[0];
        for (var k = 1; k < terms.Length; k++)
        {
            var sumId = k == terms.Length - 1 ? id : $"{id}+{k}";
            Add(new NodeDefinition { Id = sumId, Op = "add", Inputs = [running, terms[k]] });
            running = sumId;
        }
        return id;
    }

    /// <summary>A node called <paramref name="id"/> holding <paramref name="value"/> / <paramref name="divisor"/>.</summary>
    public string Scale(string id, string value, int divisor)
    {
        Add(new NodeDefinition { Id = id, Op = "div", Inputs = [value, Constant($"{id}.count", divisor)] });
        return id;
    }

    private string Constant(string id, double value)
    {
        Add(new NodeDefinition { Id = id, Op = "constant", Value = TensorData.Scalar(value) });
        return id;
    }

    /// <summary>Appends one scalar node; past the node limit, an ArgumentException the client can act on.</summary>
    public void Add(NodeDefinition node)
    {
        if (_nodes.Count >= _maxNodes)
            throw new ArgumentException($"The unrolled graph would have more than {_maxNodes} nodes (the limit for unroll=true); " +
                                        "use the tensor view (unroll=false) for a network this size.");
        _nodes.Add(node);
    }

    private static string BroadcastElement(UnrolledOperand operand, int r, int c)
    {
        var shape = operand.Shape;
        return operand.Ids[(shape.Rows == 1 ? 0 : r) * shape.Cols + (shape.Cols == 1 ? 0 : c)];
    }

    /// <summary>The id of element <paramref name="k"/> (row-major) of the tensor node <paramref name="id"/>.</summary>
    public static string ElementId(string id, Shape shape, int k) => shape.Rank switch
    {
        0 => id,
        1 => $"{id}[{k}]",
        _ => $"{id}[{k / shape.Cols},{k % shape.Cols}]",
    };
}
