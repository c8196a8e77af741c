using Microsoft.AspNetCore.Authorization;

namespace BackpropService.Api.Security;

/// <summary>
/// The authorization policy on the API groups and the hub: with API keys configured, the caller must be
/// authenticated by one; without keys (a local single-user run) everyone may call. Read on every request, so a
/// configuration reload that adds or removes keys applies at once.
/// </summary>
public sealed class ApiKeyPolicy(ApiKeyRing keys) : AuthorizationHandler<ApiKeyPolicy.Requirement>
{
    public const string Name = "api-key";

    public sealed class Requirement : IAuthorizationRequirement;

    public static void Add(AuthorizationOptions options) =>
        options.AddPolicy(Name, policy => policy.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).AddRequirements(new Requirement()));

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, Requirement requirement)
    {
        if (!keys.Enabled || CurrentOwner.Of(context.User) is not null) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
