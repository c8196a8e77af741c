using System.Net.Http.Json;
using System.Text.Json;

namespace BackpropService.Client.Http;

/// <summary>Turns an error response into a <see cref="BackpropApiException"/>; a body that is not problem+json still gives its status.</summary>
internal static class Problems
{
    private sealed record ProblemBody(int? Status, string? Title, string? Detail, Dictionary<string, string[]>? Errors);

    public static async Task<BackpropApiException> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        var fallbackTitle = response.ReasonPhrase ?? $"HTTP {status}";
        ProblemBody? problem = null;
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is "application/problem+json" or "application/json")
        {
            try { problem = await response.Content.ReadFromJsonAsync<ProblemBody>(BackpropJson.Options, ct).ConfigureAwait(false); }
            catch (JsonException) { /* not a problem document after all: keep the status */ }
        }
        var errors = problem?.Errors ?? new Dictionary<string, string[]>();
        return new BackpropApiException(status, problem?.Title ?? fallbackTitle, problem?.Detail, errors);
    }
}
