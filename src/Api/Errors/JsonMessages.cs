using System.Text.RegularExpressions;

namespace BackpropService.Api.Errors;

/// <summary>Rewrites System.Text.Json's .NET type names into the words of the contract ("integer", "number").</summary>
public static partial class JsonMessages
{
    private static readonly (string Clr, string Word)[] Words =
    [
        ("System.Nullable`1[System.Int32]", "an integer"), ("System.Int32", "an integer"),
        ("System.Nullable`1[System.UInt64]", "a non-negative integer"), ("System.UInt64", "a non-negative integer"),
        ("System.Nullable`1[System.Double]", "a finite number"), ("System.Double[][]", "an array of rows of numbers"),
        ("System.Double[]", "an array of numbers"), ("System.Double", "a finite number"),
        ("System.Int32[]", "an array of integers"), ("System.Nullable`1[System.Boolean]", "true or false"),
        ("System.Boolean", "true or false"), ("System.String", "a string"),
    ];

    public static string Friendly(string message)
    {
        foreach (var (clr, word) in Words)
            message = message.Replace(clr, word, StringComparison.Ordinal);
        if (message.Contains("maximum configured depth", StringComparison.Ordinal))
            message += " Nest JSON less deeply (Limits:MaxJsonDepth).";
        // "BackpropService.Api.Jobs.CreateJobRequest" → "CreateJobRequest"
        return Namespace().Replace(message, "");
    }

    [GeneratedRegex(@"BackpropService\.[A-Za-z.]+\.(?=[A-Z][A-Za-z]+)")]
    private static partial Regex Namespace();
}
