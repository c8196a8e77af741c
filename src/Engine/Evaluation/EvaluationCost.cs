using BackpropService.Engine.Graphs;
using BackpropService.Engine.Ops;
using BackpropService.Engine.Training;

namespace BackpropService.Engine;

/// <summary>
/// What an evaluation or a prediction would hold, counted from shapes alone, so a caller can refuse an expensive
/// request before anything is allocated. Shape errors surface here as the same <see cref="GraphValidationException"/>
/// the evaluation itself would throw.
/// </summary>
public static class EvaluationCost
{
    /// <summary>
    /// Numbers in every node's value when the leaves have the given shapes (inputs and targets; constants and
    /// parameters keep their own). An evaluation holds and returns as many gradients again.
    /// </summary>
    public static long Values(Network network, IReadOnlyDictionary<string, TensorData> leafValues)
    {
        var graph = network.Validated;
        GraphEvaluator.CheckLeaves(graph, leafValues);
        var shapes = ShapeInference.Infer(graph, i => leafValues.TryGetValue(graph.Nodes[i].Id, out var v) ? v.Shape : null);
        return shapes.Sum(s => (long)s.Length);
    }

    /// <summary>The same count for one dataset row (what <see cref="GraphEvaluator.EvaluateRow"/> evaluates).</summary>
    public static long RowValues(Network network, int features, int targets)
    {
        var graph = network.Validated;
        var (input, _) = TrainableGraph.InputAndTarget(graph);
        var shapes = ShapeInference.Infer(graph, i => Shape.Matrix(1, i == input ? features : targets));
        return shapes.Sum(s => (long)s.Length);
    }

    /// <summary>
    /// Numbers a forward pass over <paramref name="rows"/> rows of <paramref name="width"/> inputs holds outside the
    /// parameters (one buffer per node, as <see cref="Predictor.Predict"/> allocates).
    /// </summary>
    public static long PredictionNumbers(Network network, int rows, int width)
    {
        var graph = network.Validated;
        var outputs = network.OutputWidth ?? Predictor.OpenOutputWidth(graph, width);
        // Shapes for one row, scaled: a node whose first dimension is the batch grows with it, others (scalars) do not.
        var perRow = ShapeInference.InferForBatch(graph, 1, width, outputs);
        return perRow.Select((s, i) => graph.Kinds[i] == OpKind.Parameter ? 0L : s.Rank == 2 ? (long)rows * s.Cols : s.Length).Sum();
    }
}
