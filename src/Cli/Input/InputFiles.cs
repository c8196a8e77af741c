using System.Text.Json;

namespace BackpropService.Cli.Input;

/// <summary>Reads the files a command is given; anything wrong is one line naming the file and, for JSON, the line and column.</summary>
public static class InputFiles
{
    /// <summary>A network file: any JSON object (the service checks its fields and names what is wrong).</summary>
    public static JsonElement ReadNetwork(string path)
    {
        var bytes = Read(path);
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new UsageException($"{path}:1:1: a network is a JSON object ({{ \"inputs\": ..., \"layers\": [...] }} or {{ \"graph\": ... }}), not a {document.RootElement.ValueKind.ToString().ToLowerInvariant()}.");
            return document.RootElement.Clone();
        }
        catch (JsonException error)
        {
            var line = (error.LineNumber ?? 0) + 1;
            var column = (error.BytePositionInLine ?? 0) + 1;
            throw new UsageException($"{path}:{line}:{column}: not valid JSON: {Reason(error.Message)}");
        }
    }

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
