using System.Text.Json;
using System.Text.Json.Serialization;

namespace BackpropService.Api.Training.Protocols;

/// <summary>
/// How hub payloads look as JSON: camelCase names, enums as snake_case strings. The JSON protocol uses these options;
/// the MessagePack protocol derives its maps from them (<see cref="JsonShapedFormatter{T}"/>), so both protocols carry
/// the same names and values.
/// </summary>
public static class HubPayloadJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions());

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.Converters.Add(new HistoryPointJsonConverter());
        return options;
    }
}
