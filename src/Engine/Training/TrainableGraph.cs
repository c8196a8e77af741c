using BackpropService.Engine.Graphs;
using BackpropService.Engine.Ops;

namespace BackpropService.Engine.Training;

/// <summary>What a graph needs to train on a dataset: a loss, exactly one input (the features) and one target.</summary>
internal static class TrainableGraph
{
    public static (int Input, int Target) InputAndTarget(ValidatedGraph graph)
    {
        var problem = Problem(graph);
        if (problem is not null) throw new GraphValidationException("graph", problem);
        return (graph.IndicesOf(OpKind.Input).Single(), graph.IndicesOf(OpKind.Target).Single());
    }

    /// <summary>Why the graph cannot train, or null when it can.</summary>
    public static string? Problem(ValidatedGraph graph)
    {
        if (graph.LossIndex is null) return "The graph names no 'loss' node, so it cannot be trained.";
        var inputs = graph.IndicesOf(OpKind.Input).Count();
        if (inputs != 1) return $"A graph that trains needs exactly one 'input' node (the dataset's features); it has {inputs}.";
        var targets = graph.IndicesOf(OpKind.Target).Count();
        if (targets != 1) return $"A graph that trains needs exactly one 'target' node (the dataset's targets); it has {targets}.";
        return null;
    }
}
