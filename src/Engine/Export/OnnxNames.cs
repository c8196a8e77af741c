using BackpropService.Engine.Graphs;
using BackpropService.Engine.Ops;

namespace BackpropService.Engine.Export;

/// <summary>
/// The ONNX value name of each node: <c>input</c> for the input node, else the node's id (so the weights keep their
/// names, e.g. <c>layers.0.weights</c>); an id that is itself "input" or "output" gets a suffix, those two being the model's.
/// </summary>
internal sealed class OnnxNames(ValidatedGraph graph)
{
    public string this[int node] => graph.Kinds[node] == OpKind.Input
        ? OnnxExport.InputName
        : graph.Nodes[node].Id is OnnxExport.InputName or OnnxExport.OutputName ? $"{graph.Nodes[node].Id}.node" : graph.Nodes[node].Id;
}
