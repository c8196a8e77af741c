using System.Text.Json;
using System.Text.Json.Serialization;
using BackpropService.Api.Limits;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Infrastructure;

public static class StrictJsonExtensions
{
    /// <summary>
    /// Makes request JSON strict: unknown members, quoted numbers, duplicate properties and over-deep nesting are
    /// errors, not silently coerced. NaN/±Infinity literals are invalid JSON, and numbers that overflow a double
    /// (1e309) fail to convert, so both end as 400.
    /// </summary>
    public static IServiceCollection AddStrictJson(this IServiceCollection services)
    {
        services.AddOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>()
            .Configure<IOptions<LimitsOptions>>((options, limits) => Configure(options.SerializerOptions, limits.Value.MaxJsonDepth));
        return services;
    }

    public static void Configure(JsonSerializerOptions options, int maxDepth)
    {
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        // NOTE: the Web defaults allow "100" for a number; a contract that says number means number.
        options.NumberHandling = JsonNumberHandling.Strict;
        options.AllowDuplicateProperties = false;
        options.MaxDepth = maxDepth;
        options.RespectNullableAnnotations = true;
        options.RespectRequiredConstructorParameters = true;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
    }
}
