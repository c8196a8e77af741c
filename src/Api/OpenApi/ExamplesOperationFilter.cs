using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BackpropService.Api.OpenApi;

/// <summary>Adds the <see cref="ApiExamples"/> of each endpoint (by its WithName) to its request body and success response.</summary>
public sealed class ExamplesOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var name = context.EndpointName();
        if (name is null || !ApiExamples.ByEndpoint.TryGetValue(name, out var example)) return;

        if (example.Request is { } request && operation.RequestBody?.Content is { } requestContent &&
            requestContent.TryGetValue("application/json", out var requestMedia) && requestMedia is OpenApiMediaType requestConcrete)
            requestConcrete.Example = JsonNode.Parse(request);

        if (operation.Responses is null) return;
        if (!operation.Responses.TryGetValue(example.Status, out var response))
        {
            response = new OpenApiResponse { Description = "Success" };
            operation.Responses[example.Status] = response;
        }
        if (response is not OpenApiResponse concrete) return;
        concrete.Content ??= new Dictionary<string, IOpenApiMediaType>();
        if (!concrete.Content.TryGetValue("application/json", out var media))
            concrete.Content["application/json"] = media = new OpenApiMediaType();
        if (media is OpenApiMediaType mediaConcrete) mediaConcrete.Example = JsonNode.Parse(example.Response);
    }
}
