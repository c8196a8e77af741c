namespace BackpropService.Engine.Training;

/// <summary>A versioned binary form of <see cref="TrainerState"/>; checkpoints are opaque bytes to everyone else.</summary>
internal static class CheckpointSerializer
{
    private const int Magic = 0x4B435042; // "BPCK"
    // 2 added the early-stopping best (epoch, metric, parameters); version 1 checkpoints still resume, with no best yet.
    private const int Version = 2;

    public static byte[] Write(TrainerState state)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write(state.Epoch);
            foreach (var word in state.Rng) writer.Write(word);
            WriteInts(writer, state.Order);
            writer.Write(state.ParameterNames.Length);
            foreach (var name in state.ParameterNames) writer.Write(name);
            WriteArrays(writer, state.Parameters);
            writer.Write(state.OptimizerSteps);
            WriteArrays(writer, state.OptimizerState);
            writer.Write(state.BestEpoch);
            writer.Write(state.BestMetric);
            WriteArrays(writer, state.BestParameters);
        }
        return stream.ToArray();
    }

    public static TrainerState Read(byte[] bytes)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes));
            var magic = reader.ReadInt32();
            var version = reader.ReadInt32();
            if (magic != Magic || version is not (1 or Version))
                throw new ArgumentException("The checkpoint is not in a format this engine reads.");
            var epoch = reader.ReadInt32();
            ulong[] rng = [reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64()];
            var order = ReadInts(reader);
            var names = new string[reader.ReadInt32()];
            for (var i = 0; i < names.Length; i++) names[i] = reader.ReadString();
            var parameters = ReadArrays(reader);
            var steps = reader.ReadInt64();
            var optimizerState = ReadArrays(reader);
            if (version == 1) return new TrainerState(epoch, rng, order, names, parameters, steps, optimizerState, 0, double.PositiveInfinity, []);
            return new TrainerState(epoch, rng, order, names, parameters, steps, optimizerState,
                reader.ReadInt32(), reader.ReadDouble(), ReadArrays(reader));
        }
        catch (EndOfStreamException)
        {
            throw new ArgumentException("The checkpoint is truncated.");
        }
    }

    private static void WriteInts(BinaryWriter writer, int[] values)
    {
        writer.Write(values.Length);
        foreach (var v in values) writer.Write(v);
    }

    private static int[] ReadInts(BinaryReader reader)
    {
        var values = new int[reader.ReadInt32()];
        for (var i = 0; i < values.Length; i++) values[i] = reader.ReadInt32();
        return values;
    }

    private static void WriteArrays(BinaryWriter writer, double[][] arrays)
    {
        writer.Write(arrays.Length);
        foreach (var array in arrays)
        {
            writer.Write(array.Length);
            foreach (var v in array) writer.Write(v);
        }
    }

    private static double[][] ReadArrays(BinaryReader reader)
    {
        var arrays = new double[reader.ReadInt32()][];
        for (var i = 0; i < arrays.Length; i++)
        {
            arrays[i] = new double[reader.ReadInt32()];
            for (var k = 0; k < arrays[i].Length; k++) arrays[i][k] = reader.ReadDouble();
        }
        return arrays;
    }
}
