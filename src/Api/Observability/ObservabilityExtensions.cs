using BackpropService.Api.Training;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace BackpropService.Api.Observability;

public static class ObservabilityExtensions
{
    /// <summary>
    /// OpenTelemetry metrics (the worker's <see cref="TrainingMetrics"/>, ASP.NET Core, .NET runtime) for Prometheus,
    /// unless <c>Metrics:Enabled</c> is false. Structured logs need no code: appsettings.json picks the JSON console
    /// with scopes, and the worker and <see cref="JobLogScopeMiddleware"/> open a <see cref="JobLogScope"/> per job.
    /// </summary>
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetricsOptions>().BindConfiguration("Metrics");
        builder.Services.AddSingleton<JobCountsSampler>();
        builder.Services.AddHostedService(services => services.GetRequiredService<JobCountsSampler>());
        builder.Services.AddSingleton<TrainingMetrics>();
        if (!Enabled(builder.Configuration)) return builder;

        var instance = builder.Configuration["Training:InstanceName"] ?? new TrainingOptions().InstanceName;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("backprop-service", serviceInstanceId: instance))
            .WithMetrics(metrics => metrics
                .AddMeter(TrainingMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        return builder;
    }

    /// <summary>Logs requests about a job in its scope, and serves <c>/metrics</c> in Prometheus text format.</summary>
    public static WebApplication UseObservability(this WebApplication app)
    {
        app.UseMiddleware<JobLogScopeMiddleware>();
        if (Enabled(app.Configuration))
            app.MapPrometheusScrapingEndpoint(MetricsOptions.Path).ExcludeFromDescription();
        return app;
    }

    // NOTE: read at registration, like the exporter it switches; a default of true keeps /metrics on.
    private static bool Enabled(IConfiguration configuration) =>
        configuration.GetSection("Metrics").Get<MetricsOptions>()?.Enabled ?? new MetricsOptions().Enabled;
}
