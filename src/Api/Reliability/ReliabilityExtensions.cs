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
        services.Configure<Swashbuckle.AspNetCore.SwaggerGen.SwaggerGenOptions>(swagger => swagger.OperationFilter<ReliabilityOperationFilter>());
        // Bounded per-connection work on the hub (these are SignalR's defaults, stated so they stay bounded): small
        // client messages, one invocation at a time, small stream buffers. Sends to slow clients: see EpochStream.
        services.Configure<Microsoft.AspNetCore.SignalR.HubOptions>(hub =>
        {
            hub.MaximumReceiveMessageSize = 32 * 1024;
            hub.MaximumParallelInvocationsPerClient = 1;
            hub.StreamBufferCapacity = 10;
        });
        return services;
    }

    /// <summary>The rate limiter; after the API key check, so a client with a key is limited as its owner.</summary>
    public static IApplicationBuilder UseReliability(this IApplicationBuilder app) => app.UseRateLimiter();
}
