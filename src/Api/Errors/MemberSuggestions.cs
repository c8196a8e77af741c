namespace BackpropService.Api.Errors;

/// <summary>
/// An unknown JSON member, worded with the member the client most likely meant: the same name in another case or
/// in snake_case/kebab-case (<c>learning_rate</c> → <c>learningRate</c>), or one within a small edit distance
/// (<c>learningRat</c>, <c>lerningRate</c>).
/// </summary>
public static class MemberSuggestions
{
    public static string Describe(string unknown, IReadOnlyList<string> known)
    {
        var shown = unknown.Length > MaxCompared ? unknown[..MaxCompared] + "…" : unknown;
        var message = $"'{shown}' is not a member of this object.";
        if (Nearest(unknown, known) is { } near) message += $" Did you mean '{near}'?";
        if (known.Count > 0) message += $" Known members: {string.Join(", ", known)}.";
        return message;
    }

    /// <summary>Longer names are neither compared (the distance table grows with the product of lengths) nor echoed whole.</summary>
    private const int MaxCompared = 64;

    public static string? Nearest(string unknown, IReadOnlyList<string> known)
    {
        if (unknown.Length > MaxCompared) return null;
        var plain = Plain(unknown);
        if (known.FirstOrDefault(k => Plain(k) == plain) is { } same) return same;
        // Up to one edit in short names, two in longer ones: close enough to be a typo, far enough not to guess.
        var allowed = plain.Length < 6 ? 1 : 2;
        return known.Select(k => (Name: k, Distance: Distance(plain, Plain(k))))
            .Where(c => c.Distance <= allowed).OrderBy(c => c.Distance).Select(c => c.Name).FirstOrDefault();
    }

    /// <summary>Lower case without separators: learningRate, learning_rate, Learning-Rate → learningrate.</summary>
    private static string Plain(string name) =>
        string.Concat(name.Where(c => c is not ('_' or '-' or ' ')).Select(char.ToLowerInvariant));

    /// <summary>Levenshtein distance with adjacent transpositions (optimal string alignment).</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
