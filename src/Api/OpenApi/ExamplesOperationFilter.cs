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
        // A CSV body is text: a string schema and example, or Swagger UI pre-fills the JSON form's schema.
        if (example.Csv is { } csv && operation.RequestBody?.Content is { } csvContent &&
            csvContent.TryGetValue("text/csv", out var csvMedia) && csvMedia is OpenApiMediaType csvConcrete)
        {
            csvConcrete.Schema = new OpenApiSchema { Type = JsonSchemaType.String };
            csvConcrete.Example = JsonValue.Create(csv);
        }
        foreach (var parameter in operation.Parameters ?? [])
            if (parameter is OpenApiParameter concreteParameter && example.Query?.TryGetValue(concreteParameter.Name ?? "", out var value) == true)
                concreteParameter.Example = JsonValue.Create(value);

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
