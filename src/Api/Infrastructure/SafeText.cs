namespace BackpropService.Api.Infrastructure;

/// <summary>
/// Names, node ids and labels are shown in the page, in logs and in other clients' terminals: they must not carry
/// control characters (NUL, ESC, CR/LF, DEL, C1) that rewrite a terminal or split a log line, nor bidirectional
/// controls (U+202A–U+202E, U+2066–U+2069, LRM/RLM/ALM) that make text read differently from what it is.
/// </summary>
public static class SafeText
{
    /// <summary>Records why <paramref name="value"/> is not acceptable under <paramref name="field"/>; null passes.</summary>
    /// <returns>Whether the value passed.</returns>
    public static bool Check(string? value, string field, int maxLength, string limitName, ValidationErrors errors)
    {
        if (value is null) return true;
        if (value.Length > maxLength)
            errors.Add(field, $"must be at most {maxLength} characters (Limits:{limitName}); got {value.Length}.");
        else if (Forbidden(value) is { } index)
            errors.Add(field, $"must not contain control or bidirectional formatting characters; found U+{(int)value[index]:X4} at position {index}.");
        else
            return true;
        return false;
    }

    /// <summary>The index of the first forbidden character, or null.</summary>
    public static int? Forbidden(string value)
    {
        for (var i = 0; i < value.Length; i++)
            if (IsForbidden(value[i])) return i;
        return null;
    }

    private static bool IsForbidden(char c) =>
        char.IsControl(c)
        || c is '\u061C' or '\u200E' or '\u200F' or '\u2028' or '\u2029' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
