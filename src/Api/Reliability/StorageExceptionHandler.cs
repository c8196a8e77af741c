using BackpropService.Persistence.Dialects;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace BackpropService.Api.Reliability;

/// <summary>
/// A request that failed because the database is busy, locked, full or unreachable gets a 503 with Retry-After:
/// the request was fine and may succeed later, so it is neither the client's 4xx nor a bug's 500.
/// Runs before <c>ApiExceptionHandler</c>, which handles everything else.
/// </summary>
public sealed class StorageExceptionHandler(IDatabaseDialect dialect, IProblemDetailsService problems, ILogger<StorageExceptionHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (dialect.FindFault(exception) is not { Reason: var reason }) return false;
        logger.LogWarning(exception, "{Method} {Path} failed: {Reason}", httpContext.Request.Method, httpContext.Request.Path, reason);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = 503,
                Title = "Service Unavailable",
                Detail = $"The request could not be stored because {reason}; nothing was changed. Retry after {RetryAfterSeconds} seconds.",
            },
        });
    }
}
