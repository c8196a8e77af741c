using System.Text.Json;
using System.Text.Json.Nodes;

namespace BackpropService.Cli.Input;

/// <summary>
/// Parses <c>--vary FIELD=V1,V2,...</c> into a grid entry: each value is read as JSON when it is a JSON number,
/// <c>true</c>, <c>false</c> or a quoted string, else taken as a string (ids such as <c>networkId=…</c>). Whether the
/// field exists and the values fit it is the service's check; its 400 names <c>grid.FIELD[i]</c>.
/// </summary>
public static class GridValues
{
    public const string Form = "FIELD=VALUE,VALUE,... (e.g. learningRate=0.1,0.5,1)";

    public static (string Field, JsonArray Values) Parse(string text)
    {
        var equals = text.IndexOf('=');
        var field = equals < 0 ? "" : text[..equals].Trim();
        var values = equals < 0 ? [] : text[(equals + 1)..].Split(',').Select(v => v.Trim()).ToArray();
        if (field.Length == 0 || values.Length == 0 || values.Any(v => v.Length == 0))
            throw new UsageException($"--vary '{text}': expected {Form}.");
        return (field, new JsonArray(values.Select(Value).ToArray()));
    }

    /// <summary>Every <c>--vary</c>, each field once.</summary>
    public static IReadOnlyList<(string Field, JsonArray Values)> ParseAll(IEnumerable<string> texts)
    {
        var entries = texts.Select(Parse).ToList();
        var repeated = entries.GroupBy(e => e.Field).FirstOrDefault(g => g.Count() > 1);
        return repeated is null ? entries : throw new UsageException($"--vary {repeated.Key}: given more than once; list all its values in one --vary.");
    }

    private static JsonNode? Value(string text)
    {
        try
        {
            var node = JsonNode.Parse(text);
            if (node is JsonValue value && value.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False or JsonValueKind.String)
                return node;
        }
        catch (JsonException) { /* not JSON: a plain string */ }
        return JsonValue.Create(text);
    }
}
