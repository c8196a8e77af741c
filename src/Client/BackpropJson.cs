using System.Text.Json;
using System.Text.Json.Serialization;

namespace BackpropService.Client;

/// <summary>The service's JSON conventions: camelCase names, enums as lower-case strings; unset request fields are left out.</summary>
public static class BackpropJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.Strict,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };
}
