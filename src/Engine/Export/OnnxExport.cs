using BackpropService.Engine.Graphs;
using BackpropService.Engine.Ops;
using BackpropService.Engine.Training;
using Google.Protobuf;
using Onnx;

namespace BackpropService.Engine.Export;

/// <summary>
/// Writes a network's forward pass (the nodes the output depends on) with its trained parameters as an ONNX model,
/// opset 17: one input <c>input</c> [batch, inputs], one output <c>output</c> shaped as <see cref="Predictor"/> returns it.
/// The loss is not part of the model. ONNX's broadcasting and 1-D matmul are numpy's, as the engine's are.
/// </summary>
public static class OnnxExport
{
    public const int Opset = 17;
    public const string InputName = "input";
    public const string OutputName = "output";

    /// <summary>
    /// The first node (in evaluation order) on the output's path whose op has no ONNX equivalent (a loss, say), else
    /// a target the output depends on (a model takes the inputs alone), else null.
    /// </summary>
    public static (string NodeId, string Op)? Unmappable(Network network)
    {
        var graph = network.Validated;
        var path = graph.AncestorsOf(graph.OutputIndex);
        var onPath = graph.Order.Where(i => path[i] || i == graph.OutputIndex).ToArray();
        var node = onPath.FirstOrDefault(i => graph.Kinds[i] == OpKind.Loss || (graph.Kinds[i] == OpKind.Compute && !OnnxOps.Maps(graph.Nodes[i].Op)), -1);
        if (node < 0) node = onPath.FirstOrDefault(i => graph.Kinds[i] == OpKind.Target, -1);
        return node < 0 ? null : (graph.Nodes[node].Id, graph.Nodes[node].Op);
    }

    /// <summary>The model as ONNX's protobuf bytes.</summary>
    /// <param name="inputWidth">Numbers per input row (the dataset's features when the graph leaves its width open).</param>
    /// <param name="targetWidth">Numbers per target row (the dataset's targets), for shape inference.</param>
    /// <param name="metadata">Written as the model's metadata_props.</param>
    /// <exception cref="ArgumentException">An op on the output's path has no ONNX equivalent (see <see cref="Unmappable"/>).</exception>
    public static byte[] Write(Network network, IReadOnlyList<NamedTensor> parameters, int inputWidth, int targetWidth,
        IReadOnlyDictionary<string, string> metadata, string producerVersion)
    {
        if (Unmappable(network) is { } op)
            throw new ArgumentException($"Node '{op.NodeId}' uses op '{op.Op}', which has no ONNX equivalent.");
        var graph = network.Validated;
        var values = ParameterSet<float>.Initialize(graph, new Rng(0));
        values.Load(parameters);
        var one = ShapeInference.InferForBatch(graph, 1, inputWidth, targetWidth);
        var two = ShapeInference.InferForBatch(graph, 2, inputWidth, targetWidth);

        var onnx = new GraphProto { Name = graph.Definition.Output };
        var names = new OnnxNames(graph);
        var path = graph.AncestorsOf(graph.OutputIndex);
        foreach (var i in graph.Order)
        {
            if (!path[i] && i != graph.OutputIndex) continue;
            var node = graph.Nodes[i];
            switch (graph.Kinds[i])
            {
                case OpKind.Input:
                    break;
                case OpKind.Parameter:
                    var k = Array.IndexOf(values.NodeIndices, i);
                    onnx.Initializer.Add(Tensor(names[i], values.Tensors[k].Shape, values.Tensors[k].Data));
                    break;
                case OpKind.Constant:
                    var constant = node.Value!.ToTensor<float>();
                    onnx.Initializer.Add(Tensor(names[i], constant.Shape, constant.Data));
                    break;
                default:
                    OnnxOps.Add(onnx, node, names[i], graph.Operands[i].Select(o => names[o]).ToArray());
                    break;
            }
        }

        var output = one[graph.OutputIndex];
        var batchRows = output.Rank == 2 && two[graph.OutputIndex].Rows == 2;
        if (output.Rank == 2)
            onnx.Node.Add(OnnxOps.Node("Identity", [names[graph.OutputIndex]], OutputName));
        else
        {
            // Predictor answers a scalar or vector output as one row: the model says the same.
            onnx.Initializer.Add(new TensorProto { Name = "output.shape", DataType = (int)TensorProto.Types.DataType.Int64, Dims = { 2 }, Int64Data = { 1, output.Cols } });
            onnx.Node.Add(OnnxOps.Node("Reshape", [names[graph.OutputIndex], "output.shape"], OutputName));
        }
        onnx.Input.Add(Value(InputName, Dim("batch"), Dim(inputWidth)));
        onnx.Output.Add(Value(OutputName, batchRows ? Dim("batch") : Dim(output.Rank == 2 ? output.Rows : 1), Dim(output.Cols)));

        var model = new ModelProto
        {
            IrVersion = 8, // the IR version of opset 17 (ONNX 1.12)
            ProducerName = "BackpropService",
            ProducerVersion = producerVersion,
            Graph = onnx,
            OpsetImport = { new OperatorSetIdProto { Domain = "", Version = Opset } },
        };
        foreach (var (key, value) in metadata) model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model.ToByteArray();
    }

    private static TensorProto Tensor(string name, Shape shape, float[] data) =>
        new() { Name = name, DataType = (int)TensorProto.Types.DataType.Float, Dims = { shape.ToDimensions().Select(d => (long)d) }, FloatData = { data } };

    private static TensorShapeProto.Types.Dimension Dim(string name) => new() { DimParam = name };

    private static TensorShapeProto.Types.Dimension Dim(int size) => new() { DimValue = size };

    private static ValueInfoProto Value(string name, params TensorShapeProto.Types.Dimension[] dims) => new()
    {
        Name = name,
        Type = new TypeProto
        {
            TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = new TensorShapeProto { Dim = { dims } } },
        },
    };
}
