using System.Text.Json;
using BackpropService.Engine.Graphs;
using Microsoft.AspNetCore.Diagnostics;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Errors;

/// <summary>
/// The one place exceptions become problem details: bad request bodies and engine input errors are 4xx with the
/// reason; anything else is a 500 without internals. It logs itself, because in .NET 10 a handled exception no
/// longer writes diagnostics.
/// </summary>
public sealed class ApiExceptionHandler(
    IProblemDetailsService problemDetails, IOptions<JsonOptions> json, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = ToProblem(exception);
        if (problem.Status >= 500)
            logger.LogError(exception, "Unhandled exception on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        else
            logger.LogInformation("Rejected {Method} {Path}: {Detail}", httpContext.Request.Method, httpContext.Request.Path, problem.Detail);

        httpContext.Response.StatusCode = problem.Status ?? 500;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private ProblemDetails ToProblem(Exception exception) => exception switch
    {
        BadHttpRequestException bad => FromBadRequest(bad),
        GraphValidationException graph => Validation(graph.Location, graph.Message),
        JsonException error => Validation(JsonPath(error), JsonMessages.Friendly(error.Message, json.Value.SerializerOptions)),
        ArgumentException argument => new ProblemDetails { Status = 400, Title = "Bad Request", Detail = argument.Message },
        _ => new ProblemDetails
        {
            Status = 500,
            Title = "Internal Server Error",
            Detail = "The server failed to process the request; the error was logged.",
        },
    };

    private ProblemDetails FromBadRequest(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException error)
            return Validation(JsonPath(error), $"The request body is not valid JSON for this endpoint: {JsonMessages.Friendly(error.Message, json.Value.SerializerOptions)}");
        if (bad.Message.Contains("no body was provided", StringComparison.Ordinal))
            return new ProblemDetails { Status = 400, Title = "Bad Request", Detail = "This endpoint needs a JSON object in the request body (Content-Type: application/json)." };
        var detail = bad.StatusCode switch
        {
            413 => $"The request body is too large. {JsonMessages.FriendlyBinding(bad.Message)}",
            415 => $"Unsupported content type; send application/json. {JsonMessages.FriendlyBinding(bad.Message)}",
            _ => JsonMessages.FriendlyBinding(bad.Message),
        };
        return new ProblemDetails { Status = bad.StatusCode, Detail = detail };
    }

    private static ValidationProblemDetails Validation(string field, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] }) { Status = 400, Detail = message };

    /// <summary>"$.layers[0].units" → "layers[0].units", the field path the contract's <c>errors</c> uses.</summary>
    private static string JsonPath(JsonException json)
    {
        var path = json.Path ?? "$";
        return path == "$" ? "body" : path.TrimStart('$').TrimStart('.');
    }
}
