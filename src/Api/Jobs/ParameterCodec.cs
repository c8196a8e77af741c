using System.Text;
using BackpropService.Engine;

namespace BackpropService.Api.Jobs;

/// <summary>Named weight tensors ↔ a compact blob: count, then per tensor its name, dimensions and float64 values.</summary>
public static class ParameterCodec
{
    public static byte[] Encode(IReadOnlyList<NamedTensor> parameters)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(parameters.Count);
            foreach (var p in parameters)
            {
                writer.Write(p.Name);
                writer.Write(p.Value.Dimensions.Length);
                foreach (var d in p.Value.Dimensions) writer.Write(d);
                writer.Write(p.Value.Values.Length);
                foreach (var v in p.Value.Values) writer.Write(v);
            }
        }
        return stream.ToArray();
    }

    public static List<NamedTensor> Decode(byte[] blob)
    {
        using var reader = new BinaryReader(new MemoryStream(blob), Encoding.UTF8);
        var count = reader.ReadInt32();
        var result = new List<NamedTensor>(count);
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadString();
            var dims = new int[reader.ReadInt32()];
            for (var d = 0; d < dims.Length; d++) dims[d] = reader.ReadInt32();
            var values = new double[reader.ReadInt32()];
            for (var v = 0; v < values.Length; v++) values[v] = reader.ReadDouble();
            result.Add(new NamedTensor(name, new TensorData(dims, values)));
        }
        return result;
    }
}
