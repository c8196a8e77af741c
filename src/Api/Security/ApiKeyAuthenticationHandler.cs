using System.Text.Encodings.Web;
using BackpropService.Api.Errors;
using BackpropService.Api.Reliability;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Security;

/// <summary>
/// Authenticates a request by its API key: the <c>X-Api-Key</c> header, or for the hub (browsers cannot set
/// WebSocket headers) the <c>access_token</c> query parameter or an <c>Authorization: Bearer</c> header. The
/// principal carries the key's owner. Its challenge is a 401 problem+json that says how to send a key.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyRing keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = CurrentOwner.AuthenticationType;
    public const string HeaderName = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!keys.Enabled || Presented() is not { } presented) return Task.FromResult(AuthenticateResult.NoResult());
        if (keys.OwnerOf(presented) is not { } owner) return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        // The rate limiter tells clients apart by owner once one is known (by IP otherwise).
        Context.Items[RateLimiting.ClientItemKey] = "owner:" + owner;
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(CurrentOwner.Principal(owner), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = $"ApiKey header=\"{HeaderName}\"";
        await Context.WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthorized",
            $"This service needs an API key: send it in the {HeaderName} header (for the SignalR hub, as the access_token query parameter).");
    }

    private string? Presented()
    {
        if (Request.Headers[HeaderName] is [{ Length: > 0 } header]) return header;
        if (!Request.Path.StartsWithSegments("/hubs")) return null;
        if (Request.Query["access_token"] is [{ Length: > 0 } token]) return token;
        var authorization = Request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
    }
}
