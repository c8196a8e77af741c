using System.Buffers.Binary;

namespace BackpropService.Persistence.Tests.History;

/// <summary>A history column as stored before the tagged layouts: a little-endian float64 per value and nothing else.</summary>
internal static class LegacyColumn
{
    public static byte[] Of(params double[] values)
    {
        var bytes = new byte[values.Length * sizeof(double)];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * sizeof(double)), values[i]);
        return bytes;
    }
}
