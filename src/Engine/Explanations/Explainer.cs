using BackpropService.Engine.Graphs;
using BackpropService.Engine.Ops;
using BackpropService.Engine.Training;

namespace BackpropService.Engine;

/// <summary>
/// Attributes one output column of each row to that row's inputs by reverse mode from the output (not the loss), in
/// float64, over a whole batch at once: a seed of one 1 per row differentiates each row's own column, and the rows are
/// independent, so one backward sweep gives every row's gradient. Integrated gradients put all steps + 1 points of
/// every row's path in that one batch.
/// </summary>
public sealed class Explainer
{
    private readonly Network _network;
    private readonly ParameterSet<double> _parameters;
    private readonly int _input;

    public Explainer(Network network, IReadOnlyList<NamedTensor> parameters)
    {
        _input = InputOf(network);
        _network = network;
        _parameters = ParameterSet<double>.Initialize(network.Validated, new Rng(0));
        _parameters.Load(parameters);
    }

    /// <summary>
    /// Whether the default output is each row's predicted class (the argmax) rather than column 0: the network ends in
    /// a softmax or is trained with cross-entropy.
    /// </summary>
    public static bool ExplainsPredictedClass(Network network)
    {
        var graph = network.Validated;
        return graph.Nodes[graph.OutputIndex].Op == "softmax" ||
               (graph.LossIndex is { } loss && graph.Nodes[loss].Op == "cross_entropy");
    }

    /// <summary>
    /// The output columns for rows of <paramref name="width"/> inputs. ArgumentException when the network has no single
    /// input, or when its output is not one row per input row or mixes rows (a sum or mean over the batch on the path
    /// from the input): then no row's output belongs to that row's inputs alone.
    /// </summary>
    public static int OutputWidth(Network network, int width)
    {
        var input = InputOf(network);
        var graph = network.Validated;
        var feedsOutput = graph.AncestorsOf(graph.OutputIndex);
        var dependsOnInput = new bool[graph.Nodes.Count];
        foreach (var i in graph.Order)
        {
            dependsOnInput[i] = i == input || graph.Operands[i].Any(o => dependsOnInput[o]);
            if (feedsOutput[i] && dependsOnInput[i] && graph.Nodes[i].Op is "sum" or "mean")
                throw new ArgumentException($"Node '{graph.Nodes[i].Id}' ({graph.Nodes[i].Op}) reduces over the rows of the input on the way to the output, so no output belongs to one row.");
        }
        var outputs = network.OutputWidth ?? Predictor.OpenOutputWidth(graph, width);
        var shape = ShapeInference.InferForBatch(graph, 2, width, outputs)[graph.OutputIndex];
        if (shape.Rank != 2 || shape.Rows != 2)
            throw new ArgumentException($"The output '{graph.Definition.Output}' has shape {shape} for 2 rows, not one row of outputs per input row.");
        return outputs;
    }

    /// <param name="inputs">Rows of the network's input width, finite.</param>
    /// <param name="method">How to attribute.</param>
    /// <param name="output">The column explained for every row; null: each row's predicted class when <see cref="ExplainsPredictedClass"/>, else 0.</param>
    /// <param name="baseline">Integrated gradients' starting point, one row; null: zeros.</param>
    /// <param name="steps">Integrated gradients' trapezoid intervals (1 or more).</param>
    public Explanation Explain(double[][] inputs, AttributionMethod method, int? output, double[]? baseline, int steps)
    {
        if (inputs.Length == 0) throw new ArgumentException("'inputs' has no rows.");
        var width = inputs[0].Length;
        if (_network.InputWidth is { } expected && expected != width)
            throw new ArgumentException($"The network takes {expected} input{(expected == 1 ? "" : "s")} per row; got {width}.");
        for (var r = 0; r < inputs.Length; r++)
            if (inputs[r].Length != width || inputs[r].Any(v => !double.IsFinite(v)))
                throw new ArgumentException($"inputs[{r}] must have {width} finite values.");
        baseline ??= new double[width];
        if (baseline.Length != width || baseline.Any(v => !double.IsFinite(v)))
            throw new ArgumentException($"The baseline must have {width} finite values.");
        if (steps < 1) throw new ArgumentException($"steps must be 1 or more; got {steps}.");
        var outputs = OutputWidth(_network, width);
        if (output is { } column && (column < 0 || column >= outputs))
            throw new ArgumentException($"output {column} is not a column of the network's {outputs} outputs.");

        var points = method == AttributionMethod.IntegratedGradients ? steps + 1 : 1;
        var plan = Compile(inputs.Length * points, width, outputs);
        Fill(plan.Values[_input], inputs, baseline, points);
        plan.Forward();

        // Row r's own input is the batch row r·points + points − 1 (the last point of its path, or the row itself).
        var values = plan.Values[plan.Root];
        var rowOutputs = inputs.Select((_, r) => values.Row(r * points + points - 1).ToArray()).ToArray();
        var explained = rowOutputs.Select(row => output ?? (ExplainsPredictedClass(_network) ? ArgMax(row) : 0)).ToArray();
        plan.Backward(seed =>
        {
            for (var b = 0; b < seed.Shape.Rows; b++) seed[b, explained[b / points]] = 1.0;
        });

        var gradients = plan.Gradients[_input];
        var attributions = new double[inputs.Length][];
        for (var r = 0; r < inputs.Length; r++)
        {
            attributions[r] = new double[width];
            if (gradients is null) continue; // the output does not depend on the input
            for (var s = 0; s < points; s++)
            {
                // Trapezoid weights: half at both ends of the path, one inside, over steps intervals.
                var weight = method != AttributionMethod.IntegratedGradients ? 1.0 : (s == 0 || s == steps ? 0.5 : 1.0) / steps;
                var gradient = gradients.Row(r * points + s);
                for (var c = 0; c < width; c++) attributions[r][c] += weight * gradient[c];
            }
            for (var c = 0; c < width; c++)
                attributions[r][c] *= method switch
                {
                    AttributionMethod.Gradient => 1.0,
                    AttributionMethod.GradientXInput => inputs[r][c],
                    _ => inputs[r][c] - baseline[c],
                };
        }
        return new Explanation(rowOutputs, attributions, explained);
    }

    private Plan<double> Compile(int rows, int width, int outputs)
    {
        var graph = _network.Validated;
        var shapes = ShapeInference.InferForBatch(graph, rows, width, outputs);
        return new Plan<double>(graph, shapes, _parameters, graph.OutputIndex, GradientMode.Inputs);
    }

    /// <summary>Each row's path from the baseline (point 0) to the row itself (point points − 1), or the row alone.</summary>
    private static void Fill(Tensor<double> x, double[][] inputs, double[] baseline, int points)
    {
        for (var r = 0; r < inputs.Length; r++)
            for (var s = 0; s < points; s++)
            {
                var row = x.Row(r * points + s);
                for (var c = 0; c < row.Length; c++)
                    row[c] = s == points - 1 ? inputs[r][c] : baseline[c] + (double)s / (points - 1) * (inputs[r][c] - baseline[c]);
            }
    }

    private static int ArgMax(double[] row)
    {
        var best = 0;
        for (var c = 1; c < row.Length; c++)
            if (row[c] > row[best]) best = c;
        return best;
    }

    private static int InputOf(Network network)
    {
        var inputs = network.Validated.IndicesOf(OpKind.Input).ToArray();
        if (inputs.Length != 1)
            throw new ArgumentException($"Explaining needs a network with exactly one input node; this one has {inputs.Length}.");
        return inputs[0];
    }
}
