using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BackpropService.Api.Tests.Fuzz;

/// <summary>What every answer to a fuzzed request must be: never a 5xx; every error problem+json with a detail; no internals.</summary>
public static class ProblemAssert
{
    private static readonly string[] Internals = ["   at ", ".cs:line", "/work/", "/src/", "Exception:", "StackTrace", "Microsoft.EntityFrameworkCore"];

    public static async Task WellFormedAsync(HttpResponseMessage response, string request)
    {
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync();
        var where = $"{request} → {status}: {(body.Length > 400 ? body[..400] : body)}";
        Assert.True(status < 500, "5xx: " + where);
        foreach (var leak in Internals)
            Assert.False(body.Contains(leak, StringComparison.Ordinal), $"internals ('{leak}') in: {where}");
        if (status < 400) return;
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", "not problem+json: " + where);
        var problem = JsonNode.Parse(body)!;
        Assert.True(problem["status"]?.GetValue<int>() == status, "status member: " + where);
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()), "no detail: " + where);
        // The problem may quote the client's own text back (an unknown member's name, a bad value): a fuzzed "string x"
        // or "a`1" there is the client's, not a .NET type name, so the check reads the problem without those echoes.
        Errors.ClientWords.AssertNoTypeNames(WithoutEchoes(problem, request), request);
        if (response.StatusCode == HttpStatusCode.TooManyRequests) Assert.NotNull(response.Headers.RetryAfter);
    }

    /// <summary>The problem's text with every piece of the request's own text (its JSON strings, its CSV cells, its URL's
    /// decoded segments and values) taken out.</summary>
    private static string WithoutEchoes(JsonNode problem, string request)
    {
        var pieces = Regex.Matches(request, @"""((?:[^""\\]|\\.)*)""").Select(m => Decode(m.Value))
            .Concat(request.Split([',', '\n', '\r', '"', '{', '}', '[', ']', ':', ' '], StringSplitOptions.RemoveEmptyEntries))
            // A URL's ids and query values come back decoded ("EK%601" is quoted as "EK`1"): whole, and word by word.
            .Concat(Uri.UnescapeDataString(request).Split(['/', '?', '&', '='], StringSplitOptions.RemoveEmptyEntries))
            .Concat(Uri.UnescapeDataString(request).Split(['/', '?', '&', '=', ' '], StringSplitOptions.RemoveEmptyEntries))
            .Where(p => p.Length >= 2).Distinct().OrderByDescending(p => p.Length);
        var text = string.Join("\n", Texts(problem));
        foreach (var piece in pieces) text = text.Replace(piece, " ", StringComparison.Ordinal);
        return text;
    }

    /// <summary>Every member name and string value in the problem, decoded.</summary>
    private static IEnumerable<string> Texts(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Texts(p.Value).Prepend(p.Key)),
        JsonArray a => a.SelectMany(Texts),
        JsonValue v => [v.ToString()],
        _ => [],
    };

    private static string Decode(string json)
    {
        try { return JsonSerializer.Deserialize<JsonNode>(json) is JsonValue v && v.TryGetValue<string>(out var s) ? s : json; }
        catch (JsonException) { return json; }
    }
}
