using System.Buffers.Binary;

namespace BackpropService.Persistence;

/// <summary>Packs a chunk's costs as little-endian float64, one per epoch; a non-finite cost is stored as NaN.</summary>
public static class LossChunkCodec
{
    /// <summary>The most epochs one chunk holds (512 KiB of costs); a longer flush is stored as several chunks.</summary>
    public const int MaxEpochsPerChunk = 65_536;

    public static byte[] Encode(ReadOnlySpan<double> values)
    {
        var bytes = new byte[values.Length * sizeof(double)];
        for (var i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * sizeof(double)), double.IsFinite(values[i]) ? values[i] : double.NaN);
        return bytes;
    }

    public static int Count(byte[] bytes) => bytes.Length / sizeof(double);

    /// <summary>The value at <paramref name="index"/>, or null where the cost was not a finite number.</summary>
    public static double? Read(byte[] bytes, int index)
    {
        var value = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(index * sizeof(double)));
        return double.IsFinite(value) ? value : null;
    }

    /// <summary>The first <paramref name="count"/> values (a chunk trimmed to fewer epochs).</summary>
    public static byte[] Take(byte[] bytes, int count) => bytes.AsSpan(0, count * sizeof(double)).ToArray();
}
