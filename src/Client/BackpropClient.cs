using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BackpropService.Client.Http;

namespace BackpropService.Client;

/// <summary>
/// Typed access to every endpoint of BackpropService v1 and the v1.1 exports, deletes, sweeps and run metadata. Failures the service explains arrive as
/// <see cref="BackpropApiException"/>; a service that cannot be reached (after the retries) as
/// <see cref="HttpRequestException"/>.
/// </summary>
public sealed partial class BackpropClient : IDisposable
{
    public const string ApiKeyHeader = "X-Api-Key";
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private readonly HttpClient _http;
    private readonly BackpropClientOptions _options;

    public BackpropClient(BackpropClientOptions options) : this(options, new SocketsHttpHandler()) { }

    /// <param name="options">The address, API key and retry settings.</param>
    /// <param name="innerHandler">Where requests finally go (a test server's handler); the retry handler wraps it.</param>
    public BackpropClient(BackpropClientOptions options, HttpMessageHandler innerHandler)
    {
        _options = options;
        _http = new HttpClient(TransientRetry.Wrap(innerHandler, options)) { BaseAddress = options.BaseAddress, Timeout = options.Timeout };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (!string.IsNullOrEmpty(options.ApiKey)) _http.DefaultRequestHeaders.Add(ApiKeyHeader, options.ApiKey);
    }

    public Uri BaseAddress => _options.BaseAddress;

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken ct,
        Action<HttpRequestMessage>? configure = null)
    {
        using var response = await SendCheckedAsync(method, path, content, ct, configure).ConfigureAwait(false);
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(BackpropJson.Options, ct).ConfigureAwait(false)
                ?? throw new JsonException($"{method} {path} answered {(int)response.StatusCode} with an empty body.");
        }
        catch (Exception error) when (error is not OperationCanceledException && ct.IsCancellationRequested)
        {
            throw Cancelled(error, ct);
        }
    }

    /// <summary>
    /// A failure caused by the caller's cancellation, reported as that cancellation. NOTE: a transport may fail the
    /// read of a body whose request the cancellation aborted (the in-memory test server throws IOException "The client
    /// aborted the request"; a half-read body is a JsonException) instead of throwing OperationCanceledException, and
    /// the CLI takes only the latter for Ctrl+C.
    /// </summary>
    internal static OperationCanceledException Cancelled(Exception error, CancellationToken ct) =>
        new($"Cancelled while reading the answer ({error.Message}).", error, ct);

    /// <summary>Sends a request and returns its successful response (headers read, body not yet); an error response is thrown as a problem.</summary>
    private async Task<HttpResponseMessage> SendCheckedAsync(HttpMethod method, string path, HttpContent? content, CancellationToken ct,
        Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        configure?.Invoke(request);
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            // An in-memory server answers a request its caller gave up on (499) rather than abandoning it.
            ct.ThrowIfCancellationRequested();
            throw await Problems.ReadAsync(response, ct).ConfigureAwait(false);
        }
    }

    /// <summary>A request whose success has no body (204).</summary>
    private async Task SendNoContentAsync(HttpMethod method, string path, CancellationToken ct)
    {
        using var response = await SendCheckedAsync(method, path, null, ct).ConfigureAwait(false);
    }

    private Task<T> GetAsync<T>(string path, CancellationToken ct) => SendAsync<T>(HttpMethod.Get, path, null, ct);

    private Task<T> PostJsonAsync<T, TBody>(string path, TBody body, CancellationToken ct, Action<HttpRequestMessage>? configure = null) =>
        SendAsync<T>(HttpMethod.Post, path, JsonBody(body), ct, configure);

    /// <summary>Serialised up front into a buffer, so a retry can send the same bytes again.</summary>
    private static ByteArrayContent JsonBody<TBody>(TBody body)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, BackpropJson.Options));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private static string Escape(string id) => Uri.EscapeDataString(id);

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var given = parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return given.Count == 0 ? "" : "?" + string.Join('&', given);
    }

    public void Dispose() => _http.Dispose();
}
