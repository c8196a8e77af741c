using System.Text.Json;
using System.Text.RegularExpressions;

namespace BackpropService.Api.Errors;

/// <summary>
/// Rewrites System.Text.Json's and parameter binding's messages into the words of the contract: no .NET type names
/// ("an integer", "an object", not <c>Nullable&lt;int&gt;</c> or <c>CreateJobRequest</c>), and an unknown member
/// gets the nearest known one (<see cref="MemberSuggestions"/>).
/// </summary>
public static partial class JsonMessages
{
    public static string Friendly(string message, JsonSerializerOptions? options = null)
    {
        if (UnknownMember().Match(message) is { Success: true } unknown)
            return MemberSuggestions.Describe(unknown.Groups["name"].Value, TypeWords.Members(unknown.Groups["type"].Value, options));
        if (MissingRequired().Match(message) is { Success: true } missing)
            return $"The object is missing required members: {missing.Groups["names"].Value}.";
        message = NotConverted().Replace(message, m => $"could not be converted to {TypeWords.For(m.Groups["type"].Value)}.{m.Groups["rest"].Value}");
        message = OnType().Replace(message, "");
        if (message.Contains("maximum configured depth", StringComparison.Ordinal))
            message += " Nest JSON less deeply (Limits:MaxJsonDepth).";
        return TypeWords.Scrub(message);
    }

    /// <summary>Minimal APIs' binding messages: <c>Failed to bind parameter "Nullable&lt;int&gt; limit" from "abc".</c></summary>
    public static string FriendlyBinding(string message)
    {
        if (FailedToBind().Match(message) is { Success: true } bind)
            return $"'{bind.Groups["name"].Value}' must be {TypeWords.For(bind.Groups["type"].Value)}; got \"{bind.Groups["value"].Value}\".";
        if (NotProvided().Match(message) is { Success: true } absent)
            return $"'{absent.Groups["name"].Value}' is required (in the {absent.Groups["source"].Value}).";
        return TypeWords.Scrub(Parameter().Replace(message, m => $"parameter '{m.Groups["name"].Value}'"));
    }

    [GeneratedRegex(@"The JSON property '(?<name>[^']*)' could not be mapped to any \.NET member contained in type '(?<type>[^']+)'")]
    private static partial Regex UnknownMember();

    [GeneratedRegex(@"JSON deserialization for type '[^']+' was missing required properties(?: including)?: (?<names>.+?)\.?$")]
    private static partial Regex MissingRequired();

    [GeneratedRegex(@"could not be converted to (?<type>\S+?)\.(?<rest>\s|$)")]
    private static partial Regex NotConverted();

    [GeneratedRegex(@"\s+(?:on|in|of|for) type '[^']+'")]
    private static partial Regex OnType();

    [GeneratedRegex("""Failed to bind parameter "(?<type>[^"]+) (?<name>\w+)" from "(?<value>[^"]*)".""")]
    private static partial Regex FailedToBind();

    [GeneratedRegex("""Required parameter "[^"]+ (?<name>\w+)" was not provided from (?<source>[\w ]+?)\.""")]
    private static partial Regex NotProvided();

    [GeneratedRegex(@"parameter ""[^""]+ (?<name>\w+)""")]
    private static partial Regex Parameter();
}
