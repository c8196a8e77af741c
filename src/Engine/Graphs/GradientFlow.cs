using BackpropService.Engine.Ops;

namespace BackpropService.Engine.Graphs;

/// <summary>Decides which nodes get a gradient buffer: those on a path from a differentiated leaf to the root.</summary>
internal static class GradientFlow
{
    public static bool[] NodesNeedingGradient(ValidatedGraph graph, int root, GradientMode mode)
    {
        var needs = new bool[graph.Nodes.Count];
        if (mode == GradientMode.None) return needs;
        var feedsRoot = graph.AncestorsOf(root);
        if (mode == GradientMode.All) return feedsRoot;

        // A node needs a gradient when it feeds the root and depends on a differentiated leaf (a parameter, or an input).
        var leaf = mode == GradientMode.Inputs ? OpKind.Input : OpKind.Parameter;
        foreach (var i in graph.Order)
            needs[i] = feedsRoot[i] &&
                       (graph.Kinds[i] == leaf || graph.Operands[i].Any(o => needs[o]));
        return needs;
    }
}
