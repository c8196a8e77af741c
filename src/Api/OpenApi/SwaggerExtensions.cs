using Microsoft.OpenApi;

namespace BackpropService.Api.OpenApi;

public static class SwaggerExtensions
{
    /// <summary>Where Swagger UI and the document live (Swashbuckle's default route prefix).</summary>
    public const string Path = "/swagger";

    public static IServiceCollection AddApiSwagger(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "BackpropService",
                Version = "v1",
                Description = "Define networks and datasets, train them with backpropagation, stream the loss over SignalR " +
                              "(/hubs/training), and ask for the chain rule on any graph. Errors are application/problem+json.",
            });
            options.OperationFilter<ExamplesOperationFilter>();
            // A property whose type is a schema of its own ($ref) keeps its description (an allOf around the $ref).
            options.UseAllOfToExtendReferenceSchemas();
            ApiKeySecurity.Add(options);
            var xml = System.IO.Path.Combine(AppContext.BaseDirectory, "BackpropService.Api.xml");
            if (File.Exists(xml)) options.IncludeXmlComments(xml);
        });
        return services;
    }

    /// <summary>Swagger UI at /swagger and the document at /swagger/v1/swagger.json, unless Swagger:Enabled is false.</summary>
    public static WebApplication UseApiSwagger(this WebApplication app)
    {
        if (!app.Configuration.GetValue("Swagger:Enabled", true)) return app;
        // NOTE: only requests under /swagger reach Swashbuckle. Its middleware asks DI for the document generator on
        // every request it sees, and making the first one parses the XML comments file (~200 KB): the first request
        // of any kind, /health included, paid for that (docs/performance.md, "Start-up cuts").
        app.UseWhen(context => context.Request.Path.StartsWithSegments(Path), swagger =>
        {
            swagger.UseSwagger();
            swagger.UseSwaggerUI(options => options.SwaggerEndpoint("/swagger/v1/swagger.json", "BackpropService v1"));
        });
        return app;
    }
}
