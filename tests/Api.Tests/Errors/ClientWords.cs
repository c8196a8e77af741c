using System.Text.RegularExpressions;

namespace BackpropService.Api.Tests.Errors;

/// <summary>What a problem's text must not hold: .NET type names, which mean nothing to a client of a JSON API.</summary>
public static partial class ClientWords
{
    public static void AssertNoTypeNames(string body, string where)
    {
        var match = TypeName().Match(body);
        Assert.False(match.Success, $"a .NET type name ('{match.Value}') in {where}: {body}");
    }

    [GeneratedRegex(@"System\.|Microsoft\.AspNetCore|BackpropService\.|Nullable|`1|\b\w+(?:Request|Response)\b|\b(?:Int32|Int64|UInt64|Double|Single|Boolean|String|JsonElement|IReadOnlyList|Dictionary)\b|\b(?:int|double|string|bool) \w+""")]
    private static partial Regex TypeName();
}
