using BackpropService.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BackpropService.Api.OpenApi;

/// <summary>
/// The API key as an OpenAPI security scheme, required by every operation behind the API key policy, so Swagger
/// UI's "Authorize" button takes a key once and "Try it out" sends it as <c>X-Api-Key</c>.
/// </summary>
public sealed class ApiKeySecurity : IOperationFilter
{
    public const string SchemeId = "ApiKey";

    public static void Add(SwaggerGenOptions options)
    {
        options.AddSecurityDefinition(SchemeId, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthenticationHandler.HeaderName,
            Description = "An API key, when the service has keys configured (Auth:ApiKeyHashes or Auth:ApiKeys); without keys, leave it empty.",
        });
        options.OperationFilter<ApiKeySecurity>();
    }

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (!context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any()) return;
        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeId, context.Document)] = [] });
    }
}
