using BackpropService.Engine.Graphs;
using BackpropService.Engine.Ops;
using Onnx;

namespace BackpropService.Engine.Export;

/// <summary>Each engine op that has an ONNX equivalent, as the ONNX nodes (opset 17) that compute it.</summary>
internal static class OnnxOps
{
    private static readonly Dictionary<string, string> Direct = new()
    {
        ["matmul"] = "MatMul", ["add"] = "Add", ["sub"] = "Sub", ["mul"] = "Mul", ["div"] = "Div", ["neg"] = "Neg",
        ["exp"] = "Exp", ["log"] = "Log", ["sin"] = "Sin", ["cos"] = "Cos", ["tanh"] = "Tanh", ["sigmoid"] = "Sigmoid",
        ["relu"] = "Relu",
    };

    private static readonly HashSet<string> Special = ["leaky_relu", "softmax", "square", "pow", "sum", "mean"];

    public static bool Maps(string op) => Direct.ContainsKey(op) || Special.Contains(op);

    public static void Add(GraphProto graph, NodeDefinition node, string output, string[] inputs)
    {
        if (Direct.TryGetValue(node.Op, out var onnxOp))
        {
            graph.Node.Add(Node(onnxOp, inputs, output));
            return;
        }
        switch (node.Op)
        {
            case "leaky_relu":
                graph.Node.Add(Node("LeakyRelu", inputs, output, Float("alpha", node.Alpha ?? LeakyReluOp.DefaultAlpha)));
                break;
            case "softmax": // row-wise, as the engine's: over the last axis
                graph.Node.Add(Node("Softmax", inputs, output, Int("axis", -1)));
                break;
            case "square":
                graph.Node.Add(Node("Mul", [inputs[0], inputs[0]], output));
                break;
            case "pow":
                var exponent = $"{output}.exponent";
                graph.Initializer.Add(new TensorProto { Name = exponent, DataType = (int)TensorProto.Types.DataType.Float, FloatData = { (float)node.Exponent!.Value } });
                graph.Node.Add(Node("Pow", [inputs[0], exponent], output));
                break;
            case "sum": // every element, to a scalar
                graph.Node.Add(Node("ReduceSum", inputs, output, Int("keepdims", 0)));
                break;
            case "mean":
                graph.Node.Add(Node("ReduceMean", inputs, output, Int("keepdims", 0)));
                break;
            default:
                throw new ArgumentException($"Node '{node.Id}' uses op '{node.Op}', which has no ONNX equivalent.");
        }
    }

    public static NodeProto Node(string op, string[] inputs, string output, params AttributeProto[] attributes) =>
        new() { OpType = op, Name = output, Input = { inputs }, Output = { output }, Attribute = { attributes } };

    private static AttributeProto Float(string name, double value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = (float)value };

    private static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };
}
