using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace BackpropService.Api.Security;

public static class SecurityExtensions
{
    public const string CorsPolicy = "configured-origins";

    /// <summary>
    /// AllowedHosts inside the pipeline; API keys and owners (off unless Auth:ApiKeyHashes or Auth:ApiKeys is set) through ASP.NET Core's
    /// authentication and an authorization policy; CORS (off unless Cors:AllowedOrigins is set).
    /// </summary>
    public static WebApplicationBuilder AddSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ApiKeyOptions>().BindConfiguration("Auth");
        services.AddSingleton<ApiKeyRing>();
        services.AddAllowedHostsCheck();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddSingleton<IAuthorizationHandler, ApiKeyPolicy>();
        services.AddAuthorization(ApiKeyPolicy.Add);
        services.AddOwnerScopedDbContext();
        services.AddSingleton<OwnerHubFilter>();
        services.Configure<HubOptions>(options => options.AddFilter<OwnerHubFilter>());

        // NOTE: the origins are read when the options are first used, so a test host's configuration applies.
        // No origins configured: a policy that allows none, so no response carries CORS headers.
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>().Configure<IConfiguration>((cors, configuration) =>
        {
            var origins = configuration.GetSection("Cors").Get<ApiCorsOptions>()?.AllowedOrigins ?? [];
            cors.AddPolicy(CorsPolicy, policy => policy.WithOrigins(origins).AllowAnyMethod()
                .WithHeaders("Content-Type", ApiKeyAuthenticationHandler.HeaderName, "Idempotency-Key", "Authorization", "X-Requested-With", "X-SignalR-User-Agent")
                .AllowCredentials());
        });
        return builder;
    }

    /// <summary>
    /// Security headers on every response, AllowedHosts (a problem for any other Host), CORS when configured, then authentication and authorization (before the
    /// rate limiter, which tells clients apart by owner, and before any request body is read).
    /// </summary>
    public static WebApplication UseSecurity(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseAllowedHostsCheck();
        app.UseCors(CorsPolicy);
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>The group every /api endpoint group is mapped on: the API key policy applies to all of them.</summary>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder routes) =>
        routes.MapGroup("").RequireAuthorization(ApiKeyPolicy.Name);
}
