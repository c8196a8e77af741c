using System.Buffers.Binary;
using System.Text;

namespace BackpropService.Persistence.History;

/// <summary>
/// A chunk's gradient norms as one blob: the parameter count P (int32), each name (int32 byte length, UTF-8), then P
/// little-endian float64 norms per epoch, epoch after epoch (NaN where not finite). The names are written once per
/// chunk, not per epoch, and a chunk is read on its own.
/// </summary>
public static class GradientNormsCodec
{
    /// <summary>
    /// The most epochs a chunk with P norms holds: its norms stay within 64 KiB, as its costs do (see
    /// <see cref="LossChunkCodec.MaxEpochsPerChunk"/>), and at least one epoch.
    /// </summary>
    public static int MaxEpochsPerChunk(int parameters) =>
        Math.Max(1, LossChunkCodec.MaxEpochsPerChunk / Math.Max(1, parameters));

    public static byte[] Encode(IReadOnlyList<string> names, IReadOnlyList<HistoryEntry> entries, int start, int count)
    {
        var header = HeaderLength(names);
        var bytes = new byte[header + count * names.Count * sizeof(double)];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, names.Count);
        var offset = sizeof(int);
        foreach (var name in names)
        {
            var length = Encoding.UTF8.GetBytes(name, bytes.AsSpan(offset + sizeof(int)));
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(offset), length);
            offset += sizeof(int) + length;
        }
        for (var e = 0; e < count; e++)
        {
            var values = entries[start + e].GradientNorms;
            for (var p = 0; p < names.Count; p++)
            {
                var value = values is not null && p < values.Length && double.IsFinite(values[p]) ? values[p] : double.NaN;
                BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(offset), value);
                offset += sizeof(double);
            }
        }
        return bytes;
    }

    /// <summary>The names, and where the values start.</summary>
    public static (string[] Names, int ValuesOffset) ReadHeader(byte[] bytes)
    {
        var names = new string[BinaryPrimitives.ReadInt32LittleEndian(bytes)];
        var offset = sizeof(int);
        for (var p = 0; p < names.Length; p++)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset));
            names[p] = Encoding.UTF8.GetString(bytes, offset + sizeof(int), length);
            offset += sizeof(int) + length;
        }
        return (names, offset);
    }

    /// <summary>The norms of the chunk's <paramref name="index"/>-th epoch (NaN where not finite).</summary>
    public static double[] Read(byte[] bytes, int valuesOffset, int parameters, int index)
    {
        var values = new double[parameters];
        var offset = valuesOffset + index * parameters * sizeof(double);
        for (var p = 0; p < parameters; p++) values[p] = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(offset + p * sizeof(double)));
        return values;
    }

    /// <summary>The first <paramref name="count"/> epochs (a chunk trimmed to fewer epochs).</summary>
    public static byte[] Take(byte[] bytes, int count)
    {
        var (names, valuesOffset) = ReadHeader(bytes);
        return bytes.AsSpan(0, valuesOffset + count * names.Length * sizeof(double)).ToArray();
    }

    private static int HeaderLength(IReadOnlyList<string> names)
    {
        var length = sizeof(int);
        foreach (var name in names) length += sizeof(int) + Encoding.UTF8.GetByteCount(name);
        return length;
    }
}
