using System.Buffers;
using System.Text.Json;
using MessagePack;
using MessagePack.Formatters;

namespace BackpropService.Api.Training.Protocols;

/// <summary>
/// Writes a value as the MessagePack image of its JSON form under <see cref="HubPayloadJson.Options"/> (objects as
/// maps with the JSON names, timestamps as the same ISO strings, enums as the same strings), and reads it back the
/// same way. The payloads that go through here (status messages, subscribe results) are rare; the frequent
/// <c>epochs</c> message has its own formatter.
/// </summary>
public sealed class JsonShapedFormatter<T> : IMessagePackFormatter<T>
{
    public void Serialize(ref MessagePackWriter writer, T value, MessagePackSerializerOptions options)
    {
        using var json = JsonSerializer.SerializeToDocument(value, HubPayloadJson.Options);
        Write(ref writer, json.RootElement);
    }

    public T Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer)) ReadInto(ref reader, json, options.Security);
        return JsonSerializer.Deserialize<T>(buffer.WrittenSpan, HubPayloadJson.Options)!;
    }

    private static void Write(ref MessagePackWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var count = 0;
                foreach (var _ in element.EnumerateObject()) count++;
                writer.WriteMapHeader(count);
                foreach (var property in element.EnumerateObject())
                {
                    writer.Write(property.Name);
                    Write(ref writer, property.Value);
                }
                break;
            case JsonValueKind.Array:
                writer.WriteArrayHeader(element.GetArrayLength());
                foreach (var item in element.EnumerateArray()) Write(ref writer, item);
                break;
            case JsonValueKind.String:
                writer.Write(element.GetString());
                break;
            case JsonValueKind.Number when element.TryGetInt64(out var integer):
                writer.Write(integer);
                break;
            case JsonValueKind.Number when element.TryGetUInt64(out var large):
                writer.Write(large);
                break;
            case JsonValueKind.Number:
                writer.Write(element.GetDouble());
                break;
            case JsonValueKind.True or JsonValueKind.False:
                writer.Write(element.GetBoolean());
                break;
            default:
                writer.WriteNil();
                break;
        }
    }

    private static void ReadInto(ref MessagePackReader reader, Utf8JsonWriter json, MessagePackSecurity security)
    {
        // NOTE: the depth guard keeps a hostile payload from recursing until the stack overflows.
        security.DepthStep(ref reader);
        try
        {
            switch (reader.NextMessagePackType)
            {
                case MessagePackType.Map:
                    json.WriteStartObject();
                    for (var fields = reader.ReadMapHeader(); fields > 0; fields--)
                    {
                        json.WritePropertyName(reader.ReadString() ?? throw new MessagePackSerializationException("A map key must be a string."));
                        ReadInto(ref reader, json, security);
                    }
                    json.WriteEndObject();
                    break;
                case MessagePackType.Array:
                    json.WriteStartArray();
                    for (var items = reader.ReadArrayHeader(); items > 0; items--) ReadInto(ref reader, json, security);
                    json.WriteEndArray();
                    break;
                case MessagePackType.String:
                    json.WriteStringValue(reader.ReadString());
                    break;
                case MessagePackType.Integer:
                    if (reader.NextCode == MessagePackCode.UInt64) json.WriteNumberValue(reader.ReadUInt64());
                    else json.WriteNumberValue(reader.ReadInt64());
                    break;
                case MessagePackType.Float:
                    json.WriteNumberValue(reader.ReadDouble());
                    break;
                case MessagePackType.Boolean:
                    json.WriteBooleanValue(reader.ReadBoolean());
                    break;
                case MessagePackType.Nil:
                    reader.ReadNil();
                    json.WriteNullValue();
                    break;
                default:
                    throw new MessagePackSerializationException($"A {reader.NextMessagePackType} value has no JSON form.");
            }
        }
        finally
        {
            reader.Depth--;
        }
    }
}
