using System.Text.Json;
using System.Text.RegularExpressions;

namespace BackpropService.Api.Errors;

/// <summary>What a .NET type is called in the contract: "an integer", "an array", "an object".</summary>
public static partial class TypeWords
{
    private static readonly (string Name, string Word)[] Scalars =
    [
        ("Int32", "an integer"), ("int", "an integer"), ("Int64", "an integer"), ("long", "an integer"),
        ("UInt64", "a non-negative integer"), ("ulong", "a non-negative integer"),
        ("Double", "a finite number"), ("double", "a finite number"), ("Single", "a finite number"), ("float", "a finite number"),
        ("Boolean", "true or false"), ("bool", "true or false"), ("String", "a string"), ("string", "a string"),
        ("Guid", "an id"), ("JsonElement", "a JSON value"), ("DateTime", "a date and time"),
    ];

    /// <summary>The contract's word for a .NET type name as the framework prints it (full, short or C# keyword).</summary>
    public static string For(string typeName)
    {
        var name = typeName.Trim().Trim('\'', '"');
        if (Nullable().Match(name) is { Success: true } nullable) name = nullable.Groups["inner"].Value;
        if (name.EndsWith("[]", StringComparison.Ordinal) || name.Contains("List", StringComparison.Ordinal) || name.Contains("Enumerable", StringComparison.Ordinal))
            return name.Contains("[][]", StringComparison.Ordinal) ? "an array of rows of numbers" : "an array";
        if (name.Contains("Dictionary", StringComparison.Ordinal)) return "an object";
        var shortName = name[(name.LastIndexOf('.') + 1)..];
        foreach (var (clr, word) in Scalars)
            if (shortName == clr) return word;
        return "an object";
    }

    /// <summary>The members a client may send for <paramref name="typeName"/> (a type of this service), by their JSON names.</summary>
    public static IReadOnlyList<string> Members(string typeName, JsonSerializerOptions? options)
    {
        var type = typeof(TypeWords).Assembly.GetType(typeName);
        if (type is null || options is null) return [];
        return options.GetTypeInfo(type).Properties.Select(p => p.Name).ToList();
    }

    /// <summary>Replaces whatever qualified type names are left in a message by the contract's words.</summary>
    public static string Scrub(string message) => Qualified().Replace(message, m => For(m.Value));

    [GeneratedRegex(@"^(?:System\.)?Nullable(?:`1\[|<)(?<inner>.+?)[\]>]$")]
    private static partial Regex Nullable();

    [GeneratedRegex(@"'?(?:System|Microsoft|BackpropService)\.[\w.`\[\],+]*[\w\]]'?")]
    private static partial Regex Qualified();
}
