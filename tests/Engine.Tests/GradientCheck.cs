using BackpropService.Engine.Graphs;
using BackpropService.Engine.Ops;
using BackpropService.Engine.Training;
using Xunit.Sdk;

namespace BackpropService.Engine.Tests;

/// <summary>
/// Finite-difference gradient checker in float64: compiles a graph into a <see cref="Plan{T}"/> with
/// <see cref="GradientMode.All"/>, runs backward once, then nudges every element of every leaf (input, target,
/// parameter, constant) that feeds the scalar root by ±h and compares (f(x+h) − f(x−h)) / 2h with the engine's gradient.
/// </summary>
internal static class GradientCheck
{
    public const double RelativeTolerance = 1e-6;
    public const double AbsoluteTolerance = 1e-8;

    public sealed record Mismatch(string Node, int Element, double Analytic, double Numeric)
    {
        public override string ToString() => $"d root / d {Node}[{Element}]: engine {Analytic:R}, finite difference {Numeric:R}";
    }

    /// <summary>Compiles <paramref name="definition"/> for the given leaf values (inputs, targets) and runs forward and backward.</summary>
    public static Plan<double> Compile(GraphDefinition definition, string root, IReadOnlyDictionary<string, TensorData>? leaves = null)
    {
        leaves ??= new Dictionary<string, TensorData>();
        var graph = GraphBuilder.Validate(definition);
        var shapes = ShapeInference.Infer(graph, i => leaves.TryGetValue(graph.Nodes[i].Id, out var v) ? v.Shape : null);
        var plan = new Plan<double>(graph, shapes, ParameterSet<double>.Initialize(graph, new Rng(0)), graph.IndexById[root],
            GradientMode.All);
        foreach (var (id, value) in leaves) value.Values.CopyTo(plan.Value(id).Data, 0);
        plan.Forward();
        plan.Backward();
        return plan;
    }

    /// <summary>Fails with every mismatching element listed, worst first.</summary>
    public static void Verify(GraphDefinition definition, string root, IReadOnlyDictionary<string, TensorData>? leaves = null,
        double relativeTolerance = RelativeTolerance, double absoluteTolerance = AbsoluteTolerance)
    {
        var (mismatches, checkedCount) = Check(definition, root, leaves, relativeTolerance, absoluteTolerance);
        Assert.True(checkedCount > 0, "The root depends on no leaf, so nothing was checked.");
        if (mismatches.Count > 0)
            throw new XunitException($"{mismatches.Count} of {checkedCount} gradient elements disagree with central differences:\n" +
                                     string.Join("\n", mismatches.Take(10)));
    }

    /// <summary>The mismatching elements, and how many elements were compared.</summary>
    public static (List<Mismatch> Mismatches, int Checked) Check(GraphDefinition definition, string root,
        IReadOnlyDictionary<string, TensorData>? leaves, double relativeTolerance, double absoluteTolerance)
    {
        var plan = Compile(definition, root, leaves);
        Assert.True(plan.Values[plan.Root].Length == 1, $"The root '{root}' must be a scalar to be checked.");
        var graph = plan.Graph;
        var mismatches = new List<Mismatch>();
        var count = 0;
        var feedsRoot = graph.AncestorsOf(plan.Root);
        for (var i = 0; i < graph.Nodes.Count; i++)
        {
            if (graph.Kinds[i] is OpKind.Compute or OpKind.Loss || !feedsRoot[i]) continue;
            var analytic = plan.Gradients[i] ?? throw new XunitException($"Leaf '{graph.Nodes[i].Id}' feeds the root but got no gradient.");
            var numeric = NumericGradient(() => { plan.Forward(); return plan.RootValue; }, plan.Values[i].Data);
            for (var k = 0; k < numeric.Length; k++, count++)
                if (!Close(analytic.Data[k], numeric[k], relativeTolerance, absoluteTolerance))
                    mismatches.Add(new Mismatch(graph.Nodes[i].Id, k, analytic.Data[k], numeric[k]));
        }
        mismatches.Sort((a, b) => Math.Abs(b.Analytic - b.Numeric).CompareTo(Math.Abs(a.Analytic - a.Numeric)));
        return (mismatches, count);
    }

    /// <summary>Central differences of <paramref name="f"/> with respect to each element of <paramref name="point"/>
    /// (which <paramref name="f"/> reads), restoring every element afterwards.</summary>
    public static double[] NumericGradient(Func<double> f, double[] point)
    {
        var gradient = new double[point.Length];
        for (var k = 0; k < point.Length; k++)
        {
            var original = point[k];
            var h = 1e-6 * Math.Max(1.0, Math.Abs(original));
            point[k] = original + h;
            var above = f();
            point[k] = original - h;
            var below = f();
            point[k] = original;
            gradient[k] = (above - below) / (2 * h);
        }
        f();
        return gradient;
    }

    public static bool Close(double analytic, double numeric, double relativeTolerance, double absoluteTolerance) =>
        Math.Abs(analytic - numeric) <= absoluteTolerance + relativeTolerance * Math.Max(Math.Abs(analytic), Math.Abs(numeric));
}
