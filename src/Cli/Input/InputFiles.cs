using System.Text.Json;
using System.Text.Json.Nodes;

namespace BackpropService.Cli.Input;

/// <summary>Reads the files a command is given; anything wrong is one line naming the file and, for JSON, the line and column.</summary>
public static class InputFiles
{
    /// <summary>A network file: any JSON object (the service checks its fields and names what is wrong).</summary>
    public static JsonElement ReadNetwork(string path) =>
        JsonSerializer.SerializeToElement(ReadObject(path, "a network is a JSON object ({ \"inputs\": ..., \"layers\": [...] } or { \"graph\": ... })"));

    /// <summary>A sweep file: any JSON object (<c>{ "base": ..., "grid": ... }</c>), checked by the service once the flags are merged in.</summary>
    public static JsonObject ReadSweep(string path) =>
        ReadObject(path, "a sweep is a JSON object ({ \"base\": {...}, \"grid\": {...} } or with \"random\")");

    private static JsonObject ReadObject(string path, string shape)
    {
        var bytes = Read(path);
        try
        {
            var node = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return node as JsonObject ?? throw new UsageException($"{path}:1:1: {shape}, not {Kind(node)}.");
        }
        catch (JsonException error)
        {
            var line = (error.LineNumber ?? 0) + 1;
            var column = (error.BytePositionInLine ?? 0) + 1;
            throw new UsageException($"{path}:{line}:{column}: not valid JSON: {Reason(error.Message)}");
        }
    }

    private static string Kind(JsonNode? node) => node?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.True or JsonValueKind.False => "true or false",
        var kind => "a " + kind.ToString()!.ToLowerInvariant(),
    };

    /// <summary>A CSV file as text (a header row, then the rows); the service checks the values and names the row and column.</summary>
    public static string ReadCsv(string path)
    {
        var text = System.Text.Encoding.UTF8.GetString(Read(path));
        return string.IsNullOrWhiteSpace(text) ? throw new UsageException($"{path}:1:1: the file is empty; it needs a header row and at least one data row.") : text;
    }

    private static byte[] Read(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            var why = error is FileNotFoundException or DirectoryNotFoundException ? "no such file" : error.Message;
            throw new UsageException($"{path}: {why}.");
        }
    }

    /// <summary>System.Text.Json's message without its own "LineNumber: … | BytePositionInLine: …" suffix (we print the position first).</summary>
    private static string Reason(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut < 0) cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut < 0 ? message : message[..cut]).TrimEnd('.', ' ');
    }
}
