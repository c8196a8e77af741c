using Microsoft.AspNetCore.Http.HttpResults;

namespace BackpropService.Api.Infrastructure;

/// <summary>Typed results for the expected failures, each with a detail that says what to fix.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string what, string id) =>
        TypedResults.Problem(statusCode: 404, title: "Not Found", detail: $"{what} '{id}' does not exist.");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: 409, title: "Conflict", detail: detail);

    public static ValidationProblem Validation(ValidationErrors errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary(), detail: errors.Summary);

    public static ValidationProblem Validation(string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return Validation(errors);
    }

    /// <summary>Reads ?limit=, defaulting and bounding it, or records why it is wrong.</summary>
    public static int Limit(int? limit, int fallback, int max, ValidationErrors errors)
    {
        if (limit is null) return Math.Min(fallback, max);
        if (limit < 1 || limit > max) errors.Add("limit", $"must be between 1 and {max}; got {limit}.");
        return limit.Value;
    }
}
