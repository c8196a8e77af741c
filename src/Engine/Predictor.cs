using BackpropService.Engine.Graphs;
using BackpropService.Engine.Ops;
using BackpropService.Engine.Training;

namespace BackpropService.Engine;

/// <summary>Forward passes only, with stored parameters, in float32 like training.</summary>
public sealed class Predictor
{
    private readonly Network _network;
    private readonly ParameterSet<float> _parameters;
    private readonly int _input;

    public Predictor(Network network, IReadOnlyList<NamedTensor> parameters)
    {
        var inputs = network.Validated.IndicesOf(OpKind.Input).ToArray();
        if (inputs.Length != 1)
            throw new ArgumentException($"Prediction needs a network with exactly one input node; this one has {inputs.Length}.");
        _network = network;
        _input = inputs[0];
        _parameters = ParameterSet<float>.Initialize(network.Validated, new Rng(0));
        _parameters.Load(parameters);
    }

    public double[][] Predict(double[][] inputs)
    {
        if (inputs.Length == 0) throw new ArgumentException("'inputs' has no rows.");
        var width = inputs[0]?.Length ?? 0;
        for (var r = 0; r < inputs.Length; r++)
        {
            if (inputs[r] is null || inputs[r].Length != width)
                throw new ArgumentException($"inputs[{r}] has {inputs[r]?.Length ?? 0} values; every row must have {width}.");
            if (inputs[r].Any(v => !double.IsFinite(v)))
                throw new ArgumentException($"inputs[{r}] contains NaN or Infinity.");
        }
        if (_network.InputWidth is { } expected && expected != width)
            throw new ArgumentException($"The network takes {expected} input{(expected == 1 ? "" : "s")} per row; got {width}.");

        var graph = _network.Validated;
        var outputs = _network.OutputWidth ?? OpenOutputWidth(graph, width);
        var shapes = ShapeInference.InferForBatch(graph, inputs.Length, width, outputs);
        var plan = new Plan<float>(graph, shapes, _parameters, graph.OutputIndex, GradientMode.None);
        var x = plan.Values[_input];
        for (var r = 0; r < inputs.Length; r++)
            for (var c = 0; c < width; c++) x[r, c] = (float)inputs[r][c];
        plan.Forward();

        var output = plan.Values[graph.OutputIndex];
        return Enumerable.Range(0, output.Shape.Rows)
            .Select(r => output.Row(r).ToArray().Select(v => (double)v).ToArray())
            .ToArray();
    }

    /// <summary>
    /// The output's width when the graph leaves it open (no declared widths), from the shapes of the output's ancestors
    /// alone; the target, which a loss compares with the output, then gets that width too.
    /// </summary>
    internal static int OpenOutputWidth(ValidatedGraph graph, int width)
    {
        var feedsOutput = graph.AncestorsOf(graph.OutputIndex);
        var forward = GraphBuilder.Validate(new GraphDefinition(graph.Nodes.Where((_, i) => feedsOutput[i]).ToArray(), graph.Definition.Output));
        var shapes = ShapeInference.Infer(forward, i => Shape.Matrix(1, forward.Kinds[i] == OpKind.Input ? width : 1));
        return shapes[forward.OutputIndex].Cols;
    }
}
