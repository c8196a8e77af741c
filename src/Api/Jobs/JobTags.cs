namespace BackpropService.Api.Jobs;

/// <summary>
/// A job's tags as stored: each between line feeds ("\na\nb\n"), "" for none, so "has tag t" is a substring test for
/// <see cref="Marker"/>(t) that SQLite and PostgreSQL both translate. Tags never contain a line feed (validated).
/// </summary>
public static class JobTags
{
    public static string Join(IReadOnlyCollection<string> tags) => tags.Count == 0 ? "" : "\n" + string.Join("\n", tags) + "\n";

    public static IReadOnlyList<string> Split(string stored) =>
        stored.Length == 0 ? [] : stored.Trim('\n').Split('\n');

    /// <summary>The substring a stored value holds exactly when it has <paramref name="tag"/>.</summary>
    public static string Marker(string tag) => "\n" + tag + "\n";
}
