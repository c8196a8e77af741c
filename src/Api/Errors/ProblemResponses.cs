namespace BackpropService.Api.Errors;

/// <summary>
/// Problem responses written by middleware, outside the endpoint pipeline (body limit, rate limiter, API keys): one
/// place that sets the status and goes through <see cref="IProblemDetailsService"/>, so they get the same shape,
/// instance and trace id as every other error.
/// </summary>
public static class ProblemResponses
{
    public static async Task WriteProblemAsync(this HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
