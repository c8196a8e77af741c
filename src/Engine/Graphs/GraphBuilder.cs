using BackpropService.Engine.Ops;

namespace BackpropService.Engine.Graphs;

/// <summary>Checks a graph definition's structure; every error names the node at fault and its position.</summary>
internal static class GraphBuilder
{
    public static ValidatedGraph Validate(GraphDefinition definition)
    {
        if (definition.Nodes is null || definition.Nodes.Count == 0)
            throw new GraphValidationException("graph.nodes", "The graph has no nodes.");

        var indexById = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < definition.Nodes.Count; i++)
        {
            var node = definition.Nodes[i];
            var at = $"graph.nodes[{i}]";
            if (string.IsNullOrWhiteSpace(node.Id)) throw new GraphValidationException(at, $"Node {i} has no id.");
            if (!indexById.TryAdd(node.Id, i))
                throw new GraphValidationException(at, $"Node id '{node.Id}' is used twice (nodes[{indexById[node.Id]}] and nodes[{i}]).");
        }

        for (var i = 0; i < definition.Nodes.Count; i++) NodeValidator.Check(definition.Nodes[i], $"graph.nodes[{i}]", indexById);

        if (string.IsNullOrWhiteSpace(definition.Output) || !indexById.ContainsKey(definition.Output))
            throw new GraphValidationException("graph.output", $"Output '{definition.Output}' is not the id of a node.");
        if (definition.Loss is { } loss && !indexById.ContainsKey(loss))
            throw new GraphValidationException("graph.loss", $"Loss '{loss}' is not the id of a node.");

        var graph = new ValidatedGraph(definition, indexById, TopologicalOrder(definition, indexById));
        CheckLoss(graph);
        return graph;
    }

    /// <summary>Kahn's algorithm: iterative, so a graph thousands of nodes deep cannot overflow the stack.</summary>
    private static int[] TopologicalOrder(GraphDefinition definition, Dictionary<string, int> indexById)
    {
        var count = definition.Nodes.Count;
        var pending = new int[count];
        var consumers = new List<int>[count];
        for (var i = 0; i < count; i++) consumers[i] = [];
        for (var i = 0; i < count; i++)
            foreach (var input in definition.Nodes[i].Inputs)
            {
                pending[i]++;
                consumers[indexById[input]].Add(i);
            }

        var ready = new Queue<int>(Enumerable.Range(0, count).Where(i => pending[i] == 0));
        var order = new List<int>(count);
        while (ready.Count > 0)
        {
            var node = ready.Dequeue();
            order.Add(node);
            foreach (var consumer in consumers[node])
                if (--pending[consumer] == 0) ready.Enqueue(consumer);
        }

        if (order.Count < count)
        {
            var stuck = Enumerable.Range(0, count).First(i => pending[i] > 0);
            throw new GraphValidationException($"graph.nodes[{stuck}]",
                $"The graph has a cycle through node '{definition.Nodes[stuck].Id}'; a computational graph must be acyclic.");
        }
        return order.ToArray();
    }

    private static void CheckLoss(ValidatedGraph graph)
    {
        if (graph.LossIndex is not { } loss) return;
        var ancestors = graph.AncestorsOf(loss);
        if (!graph.IndicesOf(OpKind.Target).Any(t => ancestors[t]))
            throw new GraphValidationException("graph.loss",
                $"Loss node '{graph.Nodes[loss].Id}' does not consume a 'target' node, so it cannot measure the error against the data.");
        if (!graph.IndicesOf(OpKind.Parameter).Any(p => ancestors[p]))
            throw new GraphValidationException("graph.loss",
                $"Loss node '{graph.Nodes[loss].Id}' does not depend on any 'parameter' node, so there is nothing to train.");
    }
}
