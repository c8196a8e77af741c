using Microsoft.AspNetCore.Mvc;

namespace BackpropService.Api.Errors;

public static class ProblemDetailsExtensions
{
    /// <summary>
    /// Problem details for every error, including the framework's own (404 unknown route, 405, 415), each with a
    /// non-empty detail that says what to fix.
    /// </summary>
    public static IServiceCollection AddApiProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var request = context.HttpContext.Request;
            problem.Status ??= context.HttpContext.Response.StatusCode;
            problem.Instance ??= request.Path;
            if (string.IsNullOrWhiteSpace(problem.Detail))
                problem.Detail = DefaultDetail(problem, request);
        });
        services.AddExceptionHandler<ApiExceptionHandler>();
        return services;
    }

    private static string DefaultDetail(ProblemDetails problem, HttpRequest request) => problem switch
    {
        HttpValidationProblemDetails { Errors.Count: > 0 } validation =>
            string.Join(" ", validation.Errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"))),
        _ => problem.Status switch
        {
            400 => "The request is malformed.",
            404 => $"There is no resource at {request.Method} {request.Path}.",
            405 => $"The method {request.Method} is not allowed on {request.Path}.",
            406 => "The requested response type is not available; accept application/json.",
            413 => "The request body is too large.",
            415 => $"The content type '{request.ContentType}' is not supported here; send application/json.",
            _ => $"The request failed with status {problem.Status}.",
        },
    };
}
