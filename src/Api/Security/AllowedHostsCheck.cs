using BackpropService.Api.Errors;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Security;

/// <summary>
/// AllowedHosts, checked inside the app's pipeline so a refused Host gets a 400 problem+json with the security
/// headers. The web host's default check is a startup filter that runs before the app and answers an HTML page;
/// it is removed here, and ASP.NET Core's own <see cref="HostFilteringMiddleware"/> (same options, same matching of
/// "*", "*.example.com", ports, IPv6 and punycode) runs in its place, its refusal turned into a problem.
/// </summary>
public static class AllowedHostsCheck
{
    private const string DefaultFilter = "Microsoft.AspNetCore.HostFilteringStartupFilter";

    public static IServiceCollection AddAllowedHostsCheck(this IServiceCollection services)
    {
        foreach (var filter in services.Where(d => d.ServiceType == typeof(IStartupFilter) && d.ImplementationType?.FullName == DefaultFilter).ToList())
            services.Remove(filter);
        services.PostConfigure<HostFilteringOptions>(options => options.IncludeFailureMessage = false);
        return services;
    }

    public static IApplicationBuilder UseAllowedHostsCheck(this IApplicationBuilder app) => app.Use(next =>
    {
        var passed = new object();
        var filter = new HostFilteringMiddleware(context =>
            {
                context.Items[passed] = true;
                return next(context);
            },
            app.ApplicationServices.GetRequiredService<ILogger<HostFilteringMiddleware>>(),
            app.ApplicationServices.GetRequiredService<IOptionsMonitor<HostFilteringOptions>>());
        return async context =>
        {
            await filter.Invoke(context);
            if (!context.Items.ContainsKey(passed) && !context.Response.HasStarted)
                await context.WriteProblemAsync(StatusCodes.Status400BadRequest, "Bad Request",
                    $"This service does not answer to the host '{context.Request.Host}' (AllowedHosts); use one of the names it is deployed under.");
        };
    });
}
