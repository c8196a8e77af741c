using BackpropService.Api.Jobs;
using MessagePack;
using MessagePack.Formatters;

namespace BackpropService.Api.Training.Protocols;

/// <summary>The <c>epochs</c> message as a map <c>{ jobId, points: [ { epoch, cost, validationCost, accuracy, validationAccuracy } ] }</c>.</summary>
public sealed class EpochsMessageFormatter : IMessagePackFormatter<EpochsMessage>
{
    public void Serialize(ref MessagePackWriter writer, EpochsMessage value, MessagePackSerializerOptions options)
    {
        writer.WriteMapHeader(2);
        writer.WriteString("jobId"u8);
        writer.Write(value.JobId);
        writer.WriteString("points"u8);
        var points = value.Points;
        writer.WriteArrayHeader(points.Count);
        for (var i = 0; i < points.Count; i++) HistoryPointFormatter.Write(ref writer, points[i]);
    }

    public EpochsMessage Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        string? jobId = null;
        var points = new List<HistoryPoint>();
        for (var fields = reader.ReadMapHeader(); fields > 0; fields--)
        {
            switch (reader.ReadString())
            {
                case "jobId":
                    jobId = reader.ReadString();
                    break;
                case "points":
                    for (var count = reader.ReadArrayHeader(); count > 0; count--) points.Add(HistoryPointFormatter.Read(ref reader));
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        return new EpochsMessage(jobId ?? throw new MessagePackSerializationException("An epochs message needs a jobId."), points);
    }
}

/// <summary>
/// A history point as a map <c>{ epoch, cost, validationCost, accuracy, validationAccuracy }</c> plus
/// <c>gradientNorms</c> (a map by parameter name) when recorded; a missing value is nil, as JSON's null.
/// </summary>
public sealed class HistoryPointFormatter : IMessagePackFormatter<HistoryPoint>
{
    public void Serialize(ref MessagePackWriter writer, HistoryPoint value, MessagePackSerializerOptions options) => Write(ref writer, value);

    public HistoryPoint Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) => Read(ref reader);

    public static void Write(ref MessagePackWriter writer, HistoryPoint value)
    {
        writer.WriteMapHeader(value.GradientNorms is null ? 5 : 6);
        writer.WriteString("epoch"u8);
        writer.Write(value.Epoch);
        writer.WriteString("cost"u8);
        WriteNullable(ref writer, value.Cost);
        writer.WriteString("validationCost"u8);
        WriteNullable(ref writer, value.ValidationCost);
        writer.WriteString("accuracy"u8);
        WriteNullable(ref writer, value.Accuracy);
        writer.WriteString("validationAccuracy"u8);
        WriteNullable(ref writer, value.ValidationAccuracy);
        if (value.GradientNorms is not { } norms) return;
        writer.WriteString("gradientNorms"u8);
        writer.WriteMapHeader(norms.Count);
        foreach (var (name, norm) in norms)
        {
            writer.Write(name);
            WriteNullable(ref writer, norm);
        }
    }

    public static HistoryPoint Read(ref MessagePackReader reader)
    {
        var point = new HistoryPoint();
        for (var fields = reader.ReadMapHeader(); fields > 0; fields--)
        {
            switch (reader.ReadString())
            {
                case "epoch": point = point with { Epoch = reader.ReadInt32() }; break;
                case "cost": point = point with { Cost = ReadNullable(ref reader) }; break;
                case "validationCost": point = point with { ValidationCost = ReadNullable(ref reader) }; break;
                case "accuracy": point = point with { Accuracy = ReadNullable(ref reader) }; break;
                case "validationAccuracy": point = point with { ValidationAccuracy = ReadNullable(ref reader) }; break;
                case "gradientNorms": point = point with { GradientNorms = ReadNorms(ref reader) }; break;
                default: reader.Skip(); break;
            }
        }
        return point;
    }

    private static void WriteNullable(ref MessagePackWriter writer, double? value)
    {
        if (value is { } v) writer.Write(v);
        else writer.WriteNil();
    }

    private static Dictionary<string, double?> ReadNorms(ref MessagePackReader reader)
    {
        var norms = new Dictionary<string, double?>(StringComparer.Ordinal);
        for (var count = reader.ReadMapHeader(); count > 0; count--)
        {
            var name = reader.ReadString() ?? throw new MessagePackSerializationException("A gradient norm needs a parameter name.");
            norms[name] = ReadNullable(ref reader);
        }
        return norms;
    }

    private static double? ReadNullable(ref MessagePackReader reader) => reader.TryReadNil() ? null : reader.ReadDouble();
}
