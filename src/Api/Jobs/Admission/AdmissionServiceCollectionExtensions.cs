using BackpropService.Api.Lifecycle;

namespace BackpropService.Api.Jobs.Admission;

public static class AdmissionServiceCollectionExtensions
{
    /// <summary>The admission writer (<see cref="JobAdmissions"/>, a hosted loop) and its cache of networks and datasets.</summary>
    public static IServiceCollection AddJobAdmission(this IServiceCollection services)
    {
        services.AddSingleton<JobPartsCache>();
        services.AddSingleton<JobAdmissions>();
        services.AddHostedService(provider => provider.GetRequiredService<JobAdmissions>());
        return services;
    }
}
