using BackpropService.Engine.Ops;

namespace BackpropService.Engine.Graphs;

/// <summary>Propagates shapes through a validated graph in topological order; a clash names the node and both shapes.</summary>
internal static class ShapeInference
{
    /// <param name="graph">The graph.</param>
    /// <param name="leafShape">Shape of an input or target node (the caller knows the batch); null if unknown.</param>
    public static Shape[] Infer(ValidatedGraph graph, Func<int, Shape?> leafShape)
    {
        var shapes = new Shape[graph.Nodes.Count];
        foreach (var i in graph.Order)
        {
            var node = graph.Nodes[i];
            shapes[i] = graph.Kinds[i] switch
            {
                OpKind.Input or OpKind.Target => leafShape(i) ?? throw new GraphValidationException(At(i),
                    $"No value was given for {node.Op} node '{node.Id}'."),
                OpKind.Parameter => node.Value?.Shape ?? Shape.FromDimensions(node.Shape!),
                OpKind.Constant => node.Value!.Shape,
                _ => Compute(graph, i, shapes),
            };
        }

        if (graph.LossIndex is { } loss && shapes[loss] != Shape.Scalar)
            throw new GraphValidationException("graph.loss", $"Loss node '{graph.Nodes[loss].Id}' must be a scalar; it has shape {shapes[loss]}.");
        return shapes;
    }

    /// <summary>Shapes for a batch of <paramref name="rows"/> rows: the input [rows, features], the target [rows, targets].</summary>
    public static Shape[] InferForBatch(ValidatedGraph graph, int rows, int featureCount, int targetCount) =>
        Infer(graph, i => graph.Kinds[i] == OpKind.Input ? Shape.Matrix(rows, featureCount) : Shape.Matrix(rows, targetCount));

    private static Shape Compute(ValidatedGraph graph, int i, Shape[] shapes)
    {
        var node = graph.Nodes[i];
        var operands = graph.Operands[i].Select(o => shapes[o]).ToArray();
        try
        {
            return OpRegistry.Get(node.Op).OutputShape!(operands);
        }
        catch (ArgumentException e) when (e is not GraphValidationException)
        {
            var inputs = string.Join(", ", node.Inputs.Select((id, k) => $"'{id}' {operands[k]}"));
            throw new GraphValidationException(At(i), $"Node '{node.Id}' ({node.Op}) of {inputs}: {e.Message}");
        }
    }

    private static string At(int i) => $"graph.nodes[{i}]";
}
