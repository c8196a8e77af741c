using System.Net;
using System.Text.Json.Nodes;

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
        Errors.ClientWords.AssertNoTypeNames(body, request);
        if (response.StatusCode == HttpStatusCode.TooManyRequests) Assert.NotNull(response.Headers.RetryAfter);
    }
}
