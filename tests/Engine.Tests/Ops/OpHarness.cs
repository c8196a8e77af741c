using BackpropService.Engine.Graphs;
using BackpropService.Engine.Ops;
using BackpropService.Engine.Training;

namespace BackpropService.Engine.Tests.Ops;

/// <summary>
/// One op on parameter operands "a" (and "b"), as the graph <c>root = sum(op(a, b) ⊙ w)</c> with fixed random weights w,
/// so every output element reaches the root with its own weight (a plain sum would hide, e.g., softmax's gradient).
/// </summary>
internal static class OpHarness
{
    private static readonly string[] OperandIds = ["a", "b", "c"];

    /// <summary>The op's output for the given operands, computed by a forward-only plan.</summary>
    public static TensorData Forward(NodeDefinition op, params TensorData[] operands)
    {
        var definition = new GraphDefinition([.. Operands(operands), op with { Inputs = OperandIds[..operands.Length] }], op.Id);
        var graph = GraphBuilder.Validate(definition);
        var shapes = ShapeInference.Infer(graph, _ => null);
        var plan = new Plan<double>(graph, shapes, ParameterSet<double>.Initialize(graph, new Rng(0)), graph.OutputIndex, GradientMode.None);
        plan.Forward();
        return TensorData.From(plan.Value(op.Id));
    }

    public static TensorData Forward(string op, params TensorData[] operands) => Forward(Nodes.Op("y", op), operands);

    /// <summary>Checks d root / d operand against central differences for every operand element.</summary>
    public static void VerifyGradient(NodeDefinition op, params TensorData[] operands)
    {
        var output = Forward(op, operands);
        var weights = Nodes.Random(new Random(output.Values.Length), output.Dimensions, 0.5, 2.0, signed: true);
        var definition = new GraphDefinition(
        [
            .. Operands(operands),
            op with { Inputs = OperandIds[..operands.Length] },
            Nodes.Constant("w", weights),
            Nodes.Op("weighted", "mul", op.Id, "w"),
            Nodes.Op("root", "sum", "weighted"),
        ], "root");
        GradientCheck.Verify(definition, "root");
    }

    public static void VerifyGradient(string op, params TensorData[] operands) => VerifyGradient(Nodes.Op("y", op), operands);

    /// <summary>A bare op instance run on tensors: Forward, then Backward with the given output gradient.</summary>
    public static (Tensor<double> Output, Tensor<double>[] InputGrads) Run(Op<double> op, Shape outputShape, Tensor<double>[] inputs,
        double[] outputGrad)
    {
        op.Prepare(inputs.Select(t => t.Shape).ToArray(), outputShape);
        var output = new Tensor<double>(outputShape);
        op.Forward(inputs, output);
        var grads = inputs.Select(t => new Tensor<double>(t.Shape)).ToArray();
        op.Backward(inputs, output, new Tensor<double>(outputShape, outputGrad), grads);
        return (output, grads);
    }

    private static IEnumerable<NodeDefinition> Operands(TensorData[] operands) =>
        operands.Select((value, k) => Nodes.Parameter(OperandIds[k], value));
}
