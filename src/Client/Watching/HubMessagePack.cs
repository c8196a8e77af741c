using System.Buffers;
using System.Text.Json;
using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;

namespace BackpropService.Client.Watching;

/// <summary>
/// The hub's MessagePack payloads are maps with the JSON contract's names and value forms (docs/API.md), so each
/// one is read as the JSON it mirrors and bound with <see cref="BackpropJson.Options"/>: one set of model types for
/// HTTP and the stream. Primitives (the job id the client sends) stay MessagePack's own.
/// </summary>
internal sealed class HubMessagePack : IFormatterResolver
{
    public static readonly MessagePackSerializerOptions Options = MessagePackSerializerOptions.Standard
        .WithResolver(new HubMessagePack())
        .WithSecurity(MessagePackSecurity.UntrustedData);

    public IMessagePackFormatter<T>? GetFormatter<T>()
    {
        var plain = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return plain.IsPrimitive || plain == typeof(string) || plain == typeof(object)
            ? StandardResolver.Instance.GetFormatter<T>()
            : new JsonMirrorFormatter<T>();
    }

    private sealed class JsonMirrorFormatter<T> : IMessagePackFormatter<T>
    {
        public void Serialize(ref MessagePackWriter writer, T value, MessagePackSerializerOptions options) =>
            throw new NotSupportedException($"The client only sends job ids to the hub, never a {typeof(T).Name}.");

        public T Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
        {
            var buffer = new ArrayBufferWriter<byte>();
            using (var json = new Utf8JsonWriter(buffer)) Copy(ref reader, json, options.Security);
            return JsonSerializer.Deserialize<T>(buffer.WrittenSpan, BackpropJson.Options)!;
        }
    }

    private static void Copy(ref MessagePackReader reader, Utf8JsonWriter json, MessagePackSecurity security)
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
                        Copy(ref reader, json, security);
                    }
                    json.WriteEndObject();
                    break;
                case MessagePackType.Array:
                    json.WriteStartArray();
                    for (var items = reader.ReadArrayHeader(); items > 0; items--) Copy(ref reader, json, security);
                    json.WriteEndArray();
                    break;
                case MessagePackType.String: json.WriteStringValue(reader.ReadString()); break;
                case MessagePackType.Integer when reader.NextCode == MessagePackCode.UInt64: json.WriteNumberValue(reader.ReadUInt64()); break;
                case MessagePackType.Integer: json.WriteNumberValue(reader.ReadInt64()); break;
                case MessagePackType.Float: json.WriteNumberValue(reader.ReadDouble()); break;
                case MessagePackType.Boolean: json.WriteBooleanValue(reader.ReadBoolean()); break;
                case MessagePackType.Nil: reader.ReadNil(); json.WriteNullValue(); break;
                default: throw new MessagePackSerializationException($"A {reader.NextMessagePackType} value has no JSON form.");
            }
        }
        finally
        {
            reader.Depth--;
        }
    }
}
