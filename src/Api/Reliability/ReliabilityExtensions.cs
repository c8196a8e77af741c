namespace BackpropService.Api.Reliability;

public static class ReliabilityExtensions
{
    /// <summary>
    /// Storage faults as 503 + Retry-After, and rate limits on the endpoints that start work. NOTE: call before
    /// AddApiProblemDetails: exception handlers run in the order they were added, and the general one takes all.
    /// </summary>
    public static IServiceCollection AddReliability(this IServiceCollection services)
    {
        services.AddExceptionHandler<StorageExceptionHandler>();
        services.AddApiRateLimiting();
        return services;
    }

    /// <summary>The rate limiter; after the API key check, so a client with a key is limited as its owner.</summary>
    public static IApplicationBuilder UseReliability(this IApplicationBuilder app) => app.UseRateLimiter();
}
