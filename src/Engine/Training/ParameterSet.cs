using System.Numerics;
using BackpropService.Engine.Graphs;
using BackpropService.Engine.Ops;

namespace BackpropService.Engine.Training;

/// <summary>The trainable tensors of one network, by parameter node, shared by every plan compiled for it.</summary>
internal sealed class ParameterSet<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private ParameterSet(int[] nodeIndices, string[] names, Tensor<T>[] tensors) =>
        (NodeIndices, Names, Tensors) = (nodeIndices, names, tensors);

    public int[] NodeIndices { get; }
    public string[] Names { get; }
    public Tensor<T>[] Tensors { get; }

    public static ParameterSet<T> Initialize(ValidatedGraph graph, Rng rng)
    {
        var indices = graph.IndicesOf(OpKind.Parameter).ToArray();
        return new ParameterSet<T>(indices,
            indices.Select(i => graph.Nodes[i].Id).ToArray(),
            indices.Select(i => ParameterInitializer.Create<T>(graph.Nodes[i], rng)).ToArray());
    }

    /// <summary>Overwrites the values with named tensors (stored weights), checking every name and shape.</summary>
    public void Load(IReadOnlyList<NamedTensor> values)
    {
        var byName = values.ToDictionary(v => v.Name, StringComparer.Ordinal);
        for (var i = 0; i < Names.Length; i++)
        {
            if (!byName.TryGetValue(Names[i], out var value))
                throw new ArgumentException($"No value was given for parameter '{Names[i]}'.");
            if (value.Value.Values.Length != Tensors[i].Length || value.Value.Shape != Tensors[i].Shape)
                throw new ArgumentException($"Parameter '{Names[i]}' has shape {Tensors[i].Shape}; the value given has shape {value.Value.Shape}.");
            for (var k = 0; k < Tensors[i].Length; k++) Tensors[i].Data[k] = T.CreateChecked(value.Value.Values[k]);
        }
    }

    public IReadOnlyList<NamedTensor> ToNamedTensors() =>
        Names.Select((name, i) => new NamedTensor(name, TensorData.From(Tensors[i]))).ToArray();
}
