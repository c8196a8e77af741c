using BackpropService.Api.Observability;

namespace BackpropService.Api.Warmup;

public static class WarmupServiceCollectionExtensions
{
    /// <summary>The first job's code compiled once the service listens (<see cref="FirstUseWarmup"/>), unless <c>Startup:WarmUp</c> is false.</summary>
    public static IServiceCollection AddFirstUseWarmup(this IServiceCollection services)
    {
        services.AddSingleton<FirstUseWarmup>();
        services.AddSingleton<IStartupWork>(provider => provider.GetRequiredService<FirstUseWarmup>());
        return services.AddHostedService(provider => provider.GetRequiredService<FirstUseWarmup>());
    }
}
