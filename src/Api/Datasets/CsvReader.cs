using System.Text;

namespace BackpropService.Api.Datasets;

/// <summary>Splits CSV text (RFC 4180: commas, double-quoted fields, "" escapes, CRLF or LF) into records.</summary>
public static class CsvReader
{
    public static List<string[]> Read(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var fieldStarted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else field.Append(ch);
                continue;
            }
            switch (ch)
            {
                case '"' when field.Length == 0:
                    quoted = fieldStarted = true;
                    break;
                case ',':
                    fields.Add(field.ToString()); field.Clear(); fieldStarted = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    EndRecord();
                    break;
                default:
                    field.Append(ch); fieldStarted = true;
                    break;
            }
        }
        if (quoted) throw new FormatException("The CSV ends inside a quoted field; close the quote.");
        EndRecord();
        return records;

        void EndRecord()
        {
            if (fieldStarted || field.Length > 0 || fields.Count > 0)
            {
                fields.Add(field.ToString());
                // NOTE: a line of only whitespace is a blank line, not a one-column record.
                if (!(fields.Count == 1 && string.IsNullOrWhiteSpace(fields[0])))
                    records.Add([.. fields]);
            }
            fields.Clear(); field.Clear(); fieldStarted = false;
        }
    }
}
