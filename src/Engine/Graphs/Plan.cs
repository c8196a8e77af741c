using System.Numerics;
using BackpropService.Engine.Ops;
using BackpropService.Engine.Training;

namespace BackpropService.Engine.Graphs;

/// <summary>
/// A graph compiled for fixed shapes: a buffer for every value and needed gradient, and the steps in topological
/// order. Forward and Backward only run the steps, so a training step allocates nothing.
/// </summary>
internal sealed class Plan<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly PlanStep<T>[] _steps;
    private readonly Tensor<T>[] _gradientsToClear;

    public Plan(ValidatedGraph graph, Shape[] shapes, ParameterSet<T> parameters, int root, GradientMode mode)
    {
        Graph = graph;
        Root = root;
        Values = new Tensor<T>[graph.Nodes.Count];
        for (var p = 0; p < parameters.NodeIndices.Length; p++) Values[parameters.NodeIndices[p]] = parameters.Tensors[p];
        for (var i = 0; i < Values.Length; i++)
        {
            Values[i] ??= graph.Kinds[i] == OpKind.Constant ? graph.Nodes[i].Value!.ToTensor<T>() : new Tensor<T>(shapes[i]);
            if (Values[i].Shape != shapes[i])
                throw new ArgumentException($"Node '{graph.Nodes[i].Id}' holds shape {Values[i].Shape}; the plan needs {shapes[i]}.");
        }

        Gradients = new Tensor<T>?[Values.Length];
        var needsGradient = GradientFlow.NodesNeedingGradient(graph, root, mode);
        for (var i = 0; i < Values.Length; i++)
            if (needsGradient[i]) Gradients[i] = new Tensor<T>(shapes[i]);
        _gradientsToClear = Gradients.OfType<Tensor<T>>().ToArray();
        ParameterGradients = parameters.NodeIndices.Select(i => Gradients[i] ?? new Tensor<T>(shapes[i])).ToArray();

        var fusion = mode == GradientMode.Parameters && graph.LossIndex == root ? LossFusion.Find(graph) : null;
        // Showing the chain rule computes every node; otherwise only what the root depends on.
        var computed = mode == GradientMode.All ? null : graph.AncestorsOf(root);
        _steps = graph.Order.Where(i => graph.Kinds[i] is OpKind.Compute or OpKind.Loss && (computed is null || computed[i]))
            .Select(i => CreateStep(graph, shapes, i, fusion))
            .ToArray();
    }

    public ValidatedGraph Graph { get; }
    public int Root { get; }
    public Tensor<T>[] Values { get; }
    public Tensor<T>?[] Gradients { get; }

    /// <summary>Gradient buffers aligned with the parameter set (zeros for a parameter the root does not depend on).</summary>
    public Tensor<T>[] ParameterGradients { get; }

    public Tensor<T> Value(string id) => Values[Graph.IndexById[id]];

    public T RootValue => Values[Root].Data[0];

    public void Forward()
    {
        foreach (var step in _steps) step.Op.Forward(step.Inputs, step.Output);
    }

    /// <summary>Reverse sweep from the root, seeded with ones (d root / d root = 1).</summary>
    public void Backward() => Backward(seed => seed.Span.Fill(T.One));

    /// <summary>
    /// Reverse sweep from the root seeded by <paramref name="seed"/> (given the root's zeroed gradient): a seed of
    /// one 1 per row differentiates one output column of each row.
    /// </summary>
    public void Backward(Action<Tensor<T>> seed)
    {
        foreach (var gradient in _gradientsToClear) gradient.Clear();
        seed(Gradients[Root]!);
        for (var s = _steps.Length - 1; s >= 0; s--)
        {
            var step = _steps[s];
            if (step.OutputGrad is not null) step.Op.Backward(step.Inputs, step.Output, step.OutputGrad, step.InputGrads);
        }
    }

    private PlanStep<T> CreateStep(ValidatedGraph graph, Shape[] shapes, int i, LossFusion? fusion)
    {
        var node = graph.Nodes[i];
        var operands = graph.Operands[i];
        if (fusion is not null && fusion.Loss == i)
        {
            // Operands of the fused op: logits, target, and the activation's output (already computed forward).
            var fused = new[] { fusion.Logits, operands[1], fusion.Activation };
            var fusedOp = fusion.CreateOp<T>();
            fusedOp.Prepare(fused.Select(o => shapes[o]).ToArray(), shapes[i]);
            return new PlanStep<T>(i, fusedOp, fused.Select(o => Values[o]).ToArray(), Values[i], Gradients[i],
                [Gradients[fusion.Logits], Gradients[operands[1]], null]);
        }

        var op = OpRegistry.Create<T>(node);
        op.Prepare(operands.Select(o => shapes[o]).ToArray(), shapes[i]);
        var outputGrad = fusion is not null && fusion.Activation == i ? null : Gradients[i];
        return new PlanStep<T>(i, op, operands.Select(o => Values[o]).ToArray(), Values[i], outputGrad,
            operands.Select(o => Gradients[o]).ToArray());
    }
}
