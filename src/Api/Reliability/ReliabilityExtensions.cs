namespace BackpropService.Api.Reliability;

public static class ReliabilityExtensions
{
    /// <summary>
    /// Storage faults as 503 + Retry-After. NOTE: call before AddApiProblemDetails: exception handlers run in the
    /// order they were added, and the general handler takes everything it sees.
    /// </summary>
    public static IServiceCollection AddReliability(this IServiceCollection services)
    {
        services.AddExceptionHandler<StorageExceptionHandler>();
        return services;
    }
}
