using System.Security.Claims;

namespace BackpropService.Api.Security;

/// <summary>Where a request's owner is kept once its API key was checked: a claims principal with the owner's name.</summary>
public static class CurrentOwner
{
    public const string AuthenticationType = "ApiKey";

    /// <summary>The owner no row has, used to fail closed when keys are on but no owner is known.</summary>
    public const string Nobody = "\u0000nobody";

    public static ClaimsPrincipal Principal(string owner) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, owner)], AuthenticationType));

    /// <summary>The owner of an authenticated caller, or null.</summary>
    public static string? Of(ClaimsPrincipal? user) =>
        user?.Identity is { IsAuthenticated: true, AuthenticationType: AuthenticationType } identity ? identity.Name : null;
}
