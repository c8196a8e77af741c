using System.Buffers.Binary;

namespace BackpropService.Persistence.History;

/// <summary>Packs a chunk's costs as little-endian float64, one per epoch; a non-finite cost is stored as NaN.</summary>
public static class LossChunkCodec
{
    /// <summary>
    /// The most epochs one chunk holds; a longer flush is stored as several chunks. 8,192 costs are 64 KiB, under the
    /// runtime's 85,000-byte large-object threshold: a fast job writes a chunk every few milliseconds, and large
    /// objects would be collected only by full collections, which pause the trainer.
    /// </summary>
    public const int MaxEpochsPerChunk = 8_192;

    public static byte[] Encode(ReadOnlySpan<double> values)
    {
        var bytes = Allocate(values.Length);
        for (var i = 0; i < values.Length; i++) Write(bytes, i, values[i]);
        return bytes;
    }

    /// <summary>Room for <paramref name="count"/> values, to be filled with <see cref="Write"/> (no intermediate array).</summary>
    public static byte[] Allocate(int count) => new byte[count * sizeof(double)];

    public static void Write(byte[] bytes, int index, double value) =>
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(index * sizeof(double)), double.IsFinite(value) ? value : double.NaN);

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
