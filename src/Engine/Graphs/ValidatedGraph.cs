using BackpropService.Engine.Ops;

namespace BackpropService.Engine.Graphs;

/// <summary>
/// A graph whose ids, ops, arities and acyclicity have been checked, with a topological order computed once.
/// Node indices are positions in <see cref="GraphDefinition.Nodes"/>.
/// </summary>
internal sealed class ValidatedGraph
{
    public ValidatedGraph(GraphDefinition definition, IReadOnlyDictionary<string, int> indexById, int[] order)
    {
        Definition = definition;
        IndexById = indexById;
        Order = order;
        Kinds = definition.Nodes.Select(n => OpRegistry.Get(n.Op).Kind).ToArray();
        Operands = definition.Nodes.Select(n => n.Inputs.Select(id => indexById[id]).ToArray()).ToArray();
        ConsumerCounts = new int[definition.Nodes.Count];
        foreach (var operands in Operands)
            foreach (var operand in operands) ConsumerCounts[operand]++;
    }

    public GraphDefinition Definition { get; }
    public IReadOnlyList<NodeDefinition> Nodes => Definition.Nodes;
    public IReadOnlyDictionary<string, int> IndexById { get; }

    /// <summary>Every node, operands before the nodes that use them.</summary>
    public int[] Order { get; }
    public OpKind[] Kinds { get; }
    public int[][] Operands { get; }
    public int[] ConsumerCounts { get; }

    public int OutputIndex => IndexById[Definition.Output];
    public int? LossIndex => Definition.Loss is { } loss ? IndexById[loss] : null;

    public IEnumerable<int> IndicesOf(OpKind kind) => Enumerable.Range(0, Nodes.Count).Where(i => Kinds[i] == kind);

    /// <summary>Whether node <paramref name="ancestor"/> feeds, directly or not, node <paramref name="node"/>.</summary>
    public bool[] AncestorsOf(int node)
    {
        var seen = new bool[Nodes.Count];
        var stack = new Stack<int>();
        stack.Push(node);
        seen[node] = true;
        while (stack.Count > 0)
            foreach (var operand in Operands[stack.Pop()])
                if (!seen[operand]) { seen[operand] = true; stack.Push(operand); }
        return seen;
    }
}
