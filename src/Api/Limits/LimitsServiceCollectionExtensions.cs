using BackpropService.Api.Jobs;
using BackpropService.Api.Jobs.Admission;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Limits;

public static class LimitsServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="LimitsOptions"/>, applies the body limits to Kestrel and form reading, and starts the admission
    /// writer that applies the queue limits (<see cref="JobAdmissions"/>) with its cache of networks and datasets.
    /// </summary>
    public static IServiceCollection AddLimits(this IServiceCollection services)
    {
        services.AddOptions<LimitsOptions>().BindConfiguration("Limits");
        services.AddSingleton<ConcurrentBodies>();
        services.AddSingleton<ComputeSlots>();
        services.AddSingleton<JobPartsCache>();
        services.AddSingleton<JobAdmissions>();
        services.AddHostedService(provider => provider.GetRequiredService<JobAdmissions>());
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
