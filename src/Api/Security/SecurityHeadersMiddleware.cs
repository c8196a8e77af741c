namespace BackpropService.Api.Security;

/// <summary>
/// Headers that keep the page from being framed, sniffed or leaking its URLs. The CSP allows only what the page
/// loads (its own /lib, /js, /css and the hub's WebSocket on the same host); Swagger UI, which uses inline script,
/// gets the same headers without the CSP.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        if (!request.Path.StartsWithSegments("/swagger"))
        {
            var host = request.Host.Value;
            headers.ContentSecurityPolicy =
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
                $"connect-src 'self' ws://{host} wss://{host}; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
        }
        return next(context);
    }
}
