using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Limits;

public static class LimitsServiceCollectionExtensions
{
    /// <summary>Binds <see cref="LimitsOptions"/> and applies the body limits to Kestrel and form reading.</summary>
    public static IServiceCollection AddLimits(this IServiceCollection services)
    {
        services.AddOptions<LimitsOptions>().BindConfiguration("Limits");
        services.AddSingleton<ConcurrentBodies>();
        services.AddSingleton<ComputeSlots>();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<LimitsOptions>>((kestrel, limits) =>
        {
            kestrel.Limits.MaxRequestBodySize = limits.Value.MaxRequestBodyBytes;
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(limits.Value.MinRequestBodyBytesPerSecond, limits.Value.MinRequestBodyGracePeriod);
        });
        services.AddOptions<FormOptions>().Configure<IOptions<LimitsOptions>>((form, limits) =>
            form.MultipartBodyLengthLimit = limits.Value.MaxRequestBodyBytes);
        return services;
    }
}
