using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace BackpropService.Api.Datasets;

/// <summary>Splits CSV text (RFC 4180: commas, double-quoted fields, "" escapes, CRLF or LF) into records, with CsvHelper.</summary>
public static class CsvReader
{
    private static readonly CsvConfiguration Configuration = new(CultureInfo.InvariantCulture)
    {
        BadDataFound = args => throw new FormatException(
            $"Row {args.Context.Parser?.Row}: malformed quoting in '{args.Field}'; quote a field that holds quotes or commas, and double the quotes inside it."),
    };

    public static List<string[]> Read(string text)
    {
        var records = new List<string[]>();
        using var parser = new CsvParser(new StringReader(text), Configuration);
        try
        {
            // NOTE: a line of only whitespace is a blank line, not a one-column record.
            while (parser.Read())
                if (parser.Record is { } record && !record.All(string.IsNullOrWhiteSpace)) records.Add(record);
        }
        catch (CsvHelperException ex)
        {
            throw new FormatException($"Row {parser.Row}: the CSV could not be read ({ex.GetType().Name}); check its quoting.");
        }
        return records;
    }
}
