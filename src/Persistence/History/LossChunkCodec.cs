using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace BackpropService.Persistence.History;

/// <summary>
/// Packs one column of a chunk (costs, validation costs, accuracies or validation accuracies: a value per epoch, NaN
/// where it was not finite) without loss, in the smallest of three layouts that holds every value bit for bit:
/// <list type="bullet">
/// <item>doubles: a little-endian float64 per value and no tag, 8 × count bytes. The only layout before the other two,
/// so chunks stored then still read as they are; still written untagged, as its length already tells it apart and a
/// tagged copy would be a fourth layout to read.</item>
/// <item>singles: tag 1, then a little-endian float32 per value, 1 + 4 × count bytes, when every value is a float32
/// widened to double (a full-batch job's cost is its float32 loss; an accuracy k/n is one when n is a power of two).</item>
/// <item>runs: tag 2, then (float64 value, int32 length) per run of equal values, 1 + 12 × runs bytes (an accuracy
/// that has converged is a few runs).</item>
/// </list>
/// A tagged layout's length is odd and a column of doubles is 8 × count bytes, so the length alone tells a tag from
/// doubles. The count is the chunk's (LastEpoch − FirstEpoch + 1), not stored in the column.
/// </summary>
public static class LossChunkCodec
{
    /// <summary>
    /// The most epochs one chunk holds; a longer flush is stored as several chunks. A column of 8,192 values is at most
    /// 64 KiB, under the runtime's 85,000-byte large-object threshold, and so are the buffers that encode and decode
    /// it: a fast job writes a chunk every few milliseconds, and large objects would be collected only by full
    /// collections, which pause the trainer.
    /// </summary>
    public const int MaxEpochsPerChunk = 8_192;

    private const byte SinglesTag = 1;
    private const byte RunsTag = 2;
    private const int RunBytes = sizeof(double) + sizeof(int);
    private const long ExponentBits = 0x7FF0_0000_0000_0000;
    private static readonly long NaNBits = BitConverter.DoubleToInt64Bits(double.NaN);

    /// <summary>
    /// The values (a non-finite one as NaN) in the smallest layout that holds them exactly: one pass finds the layout,
    /// one writes it; the result is the only allocation.
    /// </summary>
    public static byte[] Encode(ReadOnlySpan<double> values)
    {
        var (singles, runs) = Classify(values);
        var doublesLength = values.Length * sizeof(double);
        var singlesLength = singles ? 1 + values.Length * sizeof(float) : int.MaxValue;
        var runsLength = 1 + runs * RunBytes;
        if (runsLength < Math.Min(singlesLength, doublesLength)) return EncodeRuns(values, runsLength);
        return singlesLength < doublesLength ? EncodeSingles(values, singlesLength) : EncodeDoubles(values);
    }

    /// <summary>
    /// Values <paramref name="from"/>..from + values.Length − 1 of a column of <paramref name="count"/> values, into
    /// <paramref name="values"/> (NaN where not finite).
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are none of the layouts of <paramref name="count"/> values.</exception>
    public static void Decode(ReadOnlySpan<byte> bytes, int count, int from, Span<double> values)
    {
        if (bytes.Length == count * sizeof(double))
            for (var i = 0; i < values.Length; i++) values[i] = Stored(BinaryPrimitives.ReadDoubleLittleEndian(bytes[((from + i) * sizeof(double))..]));
        else if (bytes.Length == 1 + count * sizeof(float) && bytes[0] == SinglesTag)
            for (var i = 0; i < values.Length; i++) values[i] = Stored(BinaryPrimitives.ReadSingleLittleEndian(bytes[(1 + (from + i) * sizeof(float))..]));
        else if (bytes.Length % RunBytes == 1 && bytes[0] == RunsTag) DecodeRuns(bytes, count, from, values);
        else throw Invalid(bytes, count);
    }

    /// <summary>The first <paramref name="keep"/> of a column's <paramref name="count"/> values, re-encoded (a chunk trimmed to fewer epochs).</summary>
    public static byte[] Take(byte[] bytes, int count, int keep)
    {
        var values = new double[keep];
        Decode(bytes, count, 0, values);
        return Encode(values);
    }

    /// <summary>
    /// Whether every value is a float32 widened (or not finite), and how many runs of equal stored values they make:
    /// four values at a time where the hardware has 256-bit vectors, then one at a time for the rest.
    /// </summary>
    /// <remarks>
    /// NOTE: vectors because this pass runs over every value of every flush; one value at a time it took longer than
    /// writing the values (figures in docs/performance.md).
    /// </remarks>
    private static (bool Singles, int Runs) Classify(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty) return (true, 0);
        var singles = IsSingle(values[0]);
        var runs = 1;
        var i = 1;
        if (Vector256.IsHardwareAccelerated && values.Length > Vector256<double>.Count)
        {
            var exponent = Vector256.Create(ExponentBits);
            var nan = Vector256.Create(NaNBits);
            var exact = Vector256<long>.AllBitsSet;
            for (; i + Vector256<double>.Count <= values.Length; i += Vector256<double>.Count)
            {
                var value = Vector256.Create(values.Slice(i, Vector256<double>.Count));
                var bits = value.AsInt64();
                var before = Vector256.Create(values.Slice(i - 1, Vector256<double>.Count)).AsInt64();
                var finite = ~Vector256.Equals(bits & exponent, exponent);
                var beforeFinite = ~Vector256.Equals(before & exponent, exponent);
                var changed = ~Vector256.Equals(Vector256.ConditionalSelect(finite, bits, nan), Vector256.ConditionalSelect(beforeFinite, before, nan));
                runs += BitOperations.PopCount(changed.ExtractMostSignificantBits());
                exact &= Vector256.Equals(Vector256.WidenLower(Vector256.Narrow(value, value)), value).AsInt64() | ~finite;
            }
            singles &= exact == Vector256<long>.AllBitsSet;
        }
        for (var previous = StoredBits(values[i - 1]); i < values.Length; i++)
        {
            var value = values[i];
            var bits = StoredBits(value);
            singles &= IsSingle(value);
            if (bits != previous) runs++;
            previous = bits;
        }
        return (singles, runs);
    }

    private static byte[] EncodeDoubles(ReadOnlySpan<double> values)
    {
        var bytes = new byte[values.Length * sizeof(double)];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * sizeof(double)), Stored(values[i]));
        return bytes;
    }

    private static byte[] EncodeSingles(ReadOnlySpan<double> values, int length)
    {
        var bytes = new byte[length];
        bytes[0] = SinglesTag;
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(1 + i * sizeof(float)), (float)Stored(values[i]));
        return bytes;
    }

    private static byte[] EncodeRuns(ReadOnlySpan<double> values, int length)
    {
        var bytes = new byte[length];
        bytes[0] = RunsTag;
        var offset = 1;
        for (var start = 0; start < values.Length;)
        {
            var bits = StoredBits(values[start]);
            var end = start + 1;
            while (end < values.Length && StoredBits(values[end]) == bits) end++;
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(offset), bits);
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(offset + sizeof(double)), end - start);
            offset += RunBytes;
            start = end;
        }
        return bytes;
    }

    /// <summary>Walks every run (a chunk has few), filling the part of each that falls in the range, and checks that they add up to the count.</summary>
    private static void DecodeRuns(ReadOnlySpan<byte> bytes, int count, int from, Span<double> values)
    {
        var start = 0;
        for (var offset = 1; offset < bytes.Length; offset += RunBytes)
        {
            var end = start + BinaryPrimitives.ReadInt32LittleEndian(bytes[(offset + sizeof(double))..]);
            var first = Math.Max(start, from);
            var last = Math.Min(end, from + values.Length);
            if (first < last) values[(first - from)..(last - from)].Fill(Stored(BinaryPrimitives.ReadDoubleLittleEndian(bytes[offset..])));
            start = end;
        }
        if (start != count) throw Invalid(bytes, count);
    }

    private static bool IsSingle(double value) => (double)(float)value == value || !double.IsFinite(value);

    private static double Stored(double value) => double.IsFinite(value) ? value : double.NaN;

    private static long StoredBits(double value) => double.IsFinite(value) ? BitConverter.DoubleToInt64Bits(value) : NaNBits;

    private static InvalidDataException Invalid(ReadOnlySpan<byte> bytes, int count) =>
        new($"A history column of {bytes.Length} bytes is none of the layouts of {count} values.");
}
