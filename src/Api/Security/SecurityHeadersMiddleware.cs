namespace BackpropService.Api.Security;

/// <summary>
/// Headers that keep the page from being framed, sniffed or leaking its URLs. The CSP allows only what the page
/// loads (its own /lib, /js, /css and the hub's WebSocket on the same origin); Swagger UI, which uses inline script,
/// gets the same headers without the CSP. API responses are marked <c>Cache-Control: no-store</c>.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    /// <summary>
    /// A constant, never built from the request: 'self' covers the hub's ws:// and wss:// on the page's own origin
    /// in current browsers (CSP Level 3), and a Host header is whatever the client sent.
    /// </summary>
    public const string Policy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        // NOTE: set as the response starts, not now: the exception handler clears the headers before it writes its
        // problem (a body that breaks off mid-read, malformed JSON), and those responses need them too.
        context.Response.OnStarting(static state => Apply((HttpContext)state), context);
        return next(context);
    }

    private static Task Apply(HttpContext context)
    {
        var request = context.Request;
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        // API answers are per caller (owner) and change as jobs train: no cache, shared or private, keeps them.
        if (request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hubs"))
            headers.CacheControl = "no-store";
        if (!request.Path.StartsWithSegments("/swagger"))
            headers.ContentSecurityPolicy = Policy;
        return Task.CompletedTask;
    }
}
