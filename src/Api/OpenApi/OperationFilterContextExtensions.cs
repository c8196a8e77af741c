using Microsoft.AspNetCore.Routing;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BackpropService.Api.OpenApi;

public static class OperationFilterContextExtensions
{
    /// <summary>The endpoint's WithName, the key the operation filters look their additions up by; null when unnamed.</summary>
    public static string? EndpointName(this OperationFilterContext context) =>
        context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName;
}
