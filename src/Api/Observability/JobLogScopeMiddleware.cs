namespace BackpropService.Api.Observability;

/// <summary>Requests about one job (<c>/api/jobs/{id}/...</c>) log inside that job's <see cref="JobLogScope"/>.</summary>
public sealed class JobLogScopeMiddleware(RequestDelegate next, ILogger<JobLogScopeMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/api/jobs") && context.GetRouteValue("id") is string jobId)
        {
            using (JobLogScope.Begin(logger, jobId))
                await next(context);
            return;
        }
        await next(context);
    }
}
