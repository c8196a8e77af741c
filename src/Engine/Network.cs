using BackpropService.Engine.Graphs;
using BackpropService.Engine.Ops;
using BackpropService.Engine.Training;

namespace BackpropService.Engine;

/// <summary>A validated network: the graph form (the layered form compiles to it), its parameters and shapes.</summary>
public sealed class Network
{
    /// <summary>The per-row width declared on the target node, if any (the counterpart of <see cref="InputWidth"/>).</summary>
    private readonly int? _targetWidth;

    private Network(ValidatedGraph graph)
    {
        Validated = graph;
        Parameters = graph.IndicesOf(OpKind.Parameter)
            .Select(i => new ParameterInfo(graph.Nodes[i].Id, graph.Nodes[i].Value?.Dimensions ?? graph.Nodes[i].Shape!))
            .ToArray();
        ParameterCount = Parameters.Sum(p => p.Dimensions.Aggregate(1L, (a, d) => a * d));
        Edges = graph.Nodes.SelectMany(n => n.Inputs.Select(input => new GraphEdge(input, n.Id))).ToArray();
        InputWidth = DeclaredWidth(OpKind.Input);
        _targetWidth = DeclaredWidth(OpKind.Target);
        NodeShapes = new Dictionary<string, int[]>();
        // Shapes are known (and checked now) when every input and target declares its width, or there are none.
        if ((InputWidth is not null || !graph.IndicesOf(OpKind.Input).Any()) &&
            (_targetWidth is not null || !graph.IndicesOf(OpKind.Target).Any()))
        {
            // A width missing here belongs to a node kind the graph does not have, so its stand-in 0 is never read.
            var shapes = ShapeInference.InferForBatch(graph, 1, InputWidth ?? 0, _targetWidth ?? 0);
            NodeShapes = graph.Nodes.Select((n, i) => (n.Id, shapes[i].ToDimensions())).ToDictionary(p => p.Id, p => p.Item2);
            OutputWidth = shapes[graph.OutputIndex].Cols;
        }
    }

    internal ValidatedGraph Validated { get; }

    public GraphDefinition Graph => Validated.Definition;
    public int? InputWidth { get; }
    public int? OutputWidth { get; }
    public long ParameterCount { get; }
    public int NodeCount => Validated.Nodes.Count;
    public IReadOnlyList<ParameterInfo> Parameters { get; }
    public IReadOnlyList<GraphEdge> Edges { get; }

    /// <summary>Each node's shape for a batch of one row; empty when the graph leaves its input widths open.</summary>
    public IReadOnlyDictionary<string, int[]> NodeShapes { get; }

    public bool CanTrain => TrainableGraph.Problem(Validated) is null;

    /// <exception cref="GraphValidationException">The structure, ids, ops or shapes are wrong; Location names the node.</exception>
    public static Network FromGraph(GraphDefinition definition) => new(GraphBuilder.Validate(definition));

    /// <exception cref="GraphValidationException">A layer is wrong; Location names it (e.g. <c>layers[1].units</c>).</exception>
    public static Network FromLayers(LayeredNetworkDefinition definition) =>
        FromGraph(LayeredNetworkCompiler.Compile(definition));

    /// <summary>Checks that this network can train on rows of the given widths; the message names the mismatch.</summary>
    public void EnsureTrainableOn(int featureCount, int targetCount)
    {
        TrainableGraph.InputAndTarget(Validated);
        if (InputWidth is { } inputs && inputs != featureCount)
            throw new ArgumentException($"The network takes {inputs} input{(inputs == 1 ? "" : "s")} but the dataset has {featureCount} feature column{(featureCount == 1 ? "" : "s")}.");
        var target = Validated.IndicesOf(OpKind.Target).Single();
        if (_targetWidth is { } targets && targets != targetCount)
            throw new ArgumentException($"The network's target '{Validated.Nodes[target].Id}' has {targets} column{(targets == 1 ? "" : "s")} but the dataset has {targetCount} target column{(targetCount == 1 ? "" : "s")}.");
        var shapes = ShapeInference.InferForBatch(Validated, 1, featureCount, targetCount);
        var outputs = shapes[Validated.OutputIndex].Cols;
        if (outputs != targetCount)
            throw new ArgumentException($"The network has {outputs} output{(outputs == 1 ? "" : "s")} but the dataset has {targetCount} target column{(targetCount == 1 ? "" : "s")}.");
    }

    /// <summary>The per-row width declared on the single input (or target) node, if any.</summary>
    private int? DeclaredWidth(OpKind kind)
    {
        var nodes = Validated.IndicesOf(kind).ToArray();
        return nodes.Length == 1 && Validated.Nodes[nodes[0]].Shape is { } shape ? shape.LastOrDefault(1) : null;
    }
}

public sealed record ParameterInfo(string Name, int[] Dimensions);

public sealed record GraphEdge(string From, string To);
