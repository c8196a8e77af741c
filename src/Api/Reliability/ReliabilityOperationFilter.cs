using BackpropService.Api.OpenApi;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BackpropService.Api.Reliability;

/// <summary>
/// Documents, per operation, what this part adds: the Idempotency-Key header and its 422 on CreateJob, the 429s of
/// the queue and rate limits, the 503 of a storage fault on writes, and the 401 of a missing API key when keys are on.
/// </summary>
public sealed class ReliabilityOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var name = context.EndpointName();
        var path = "/" + (context.ApiDescription.RelativePath ?? "");
        if (!path.StartsWith("/api", StringComparison.Ordinal)) return;
        operation.Responses ??= new OpenApiResponses();
        Add(operation, "401", "No valid API key (only when Auth:ApiKeyHashes or Auth:ApiKeys is configured): send X-Api-Key.");
        if (!HttpMethods.IsGet(context.ApiDescription.HttpMethod ?? "GET"))
            Add(operation, "503", "The database is busy, locked or full, or Limits:MaxConcurrentBodies request bodies are being received; nothing was changed. Retry after the Retry-After seconds.");
        if (name is "CreateJob" or "CreateSweep" or "EvaluateGraph" or "Predict" or "Explain" or "GetJobGraph")
            Add(operation, "429", "Too many requests from this client (RateLimits; evaluate, predict, explain and a graph on a row also spend compute units), or too many queued jobs (Limits:MaxQueuedJobs*); see Retry-After.");
        if (name is not ("CreateJob" or "CreateSweep")) return;
        Add(operation, "422", "The Idempotency-Key was already used with a different request.");
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "Idempotency-Key",
            In = ParameterLocation.Header,
            Required = false,
            Description = "Makes the POST safe to retry: the same key and request return the same job or sweep (202, Idempotent-Replayed: true); 1–200 visible ASCII characters, per owner.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 200 },
        });
    }

    private static void Add(OpenApiOperation operation, string status, string description)
    {
        if (operation.Responses!.ContainsKey(status)) return;
        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, IOpenApiMediaType> { ["application/problem+json"] = new OpenApiMediaType() },
        };
    }
}
