using BackpropService.Api.Errors;
using System.Security.Cryptography;
using System.Text;
using BackpropService.Api.Reliability;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Security;

/// <summary>
/// With API keys on, /api and /hubs need a valid key: the <c>X-Api-Key</c> header, or for the hub (browsers
/// cannot set WebSocket headers) the <c>access_token</c> query parameter or an <c>Authorization: Bearer</c> header.
/// Without one: 401 problem+json. The page, /health, /swagger and /metrics stay open.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, IOptionsMonitor<ApiKeyOptions> options)
{
    public const string HeaderName = "X-Api-Key";

    public async Task InvokeAsync(HttpContext context)
    {
        var keys = options.CurrentValue;
        var path = context.Request.Path;
        if (!keys.Enabled || !(path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs")))
        {
            await next(context);
            return;
        }
        if (Find(keys, Presented(context)) is not { } owner)
        {
            context.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{HeaderName}\"";
            await context.WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthorized",
                $"This service needs an API key: send it in the {HeaderName} header (for the SignalR hub, as the access_token query parameter).");
            return;
        }
        context.User = CurrentOwner.Principal(owner);
        context.Items[RateLimiting.ClientItemKey] = "owner:" + owner;
        await next(context);
    }

    private static string? Presented(HttpContext context)
    {
        var request = context.Request;
        if (request.Headers[HeaderName] is [{ Length: > 0 } header]) return header;
        if (!request.Path.StartsWithSegments("/hubs")) return null;
        if (request.Query["access_token"] is [{ Length: > 0 } token]) return token;
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
    }

    /// <summary>The owner of <paramref name="presented"/>, compared in constant time against every configured key.</summary>
    private string? Find(ApiKeyOptions keys, string? presented)
    {
        if (string.IsNullOrEmpty(presented)) return null;
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        string? owner = null;
        foreach (var (hash, name) in Hashed(keys))
            if (CryptographicOperations.FixedTimeEquals(given, hash) && !string.IsNullOrWhiteSpace(name))
                owner = name;
        return owner;
    }

    private HashedKeys? _hashed;

    /// <summary>
    /// The configured keys' hashes, computed once per options instance (a configuration reload brings a new one)
    /// rather than on every request.
    /// </summary>
    private (byte[] Hash, string Owner)[] Hashed(ApiKeyOptions keys)
    {
        if (_hashed is { } hashed && ReferenceEquals(hashed.Options, keys)) return hashed.Keys;
        var fresh = new HashedKeys(keys, keys.ApiKeys.Select(k => (SHA256.HashData(Encoding.UTF8.GetBytes(k.Key)), k.Value)).ToArray());
        _hashed = fresh;
        return fresh.Keys;
    }

    private sealed record HashedKeys(ApiKeyOptions Options, (byte[] Hash, string Owner)[] Keys);
}
