using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace BackpropService.Api.Observability;

public static class ObservabilityExtensions
{
    /// <summary>
    /// OpenTelemetry metrics (the worker's <see cref="TrainingMetrics"/>, ASP.NET Core, .NET runtime) for Prometheus.
    /// Structured logs need no code: appsettings.json picks the JSON console with scopes, and the worker and
    /// <see cref="JobLogScopeMiddleware"/> open a <see cref="JobLogScope"/> per job.
    /// </summary>
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetricsOptions>().BindConfiguration("Metrics");
        builder.Services.AddSingleton<JobCountsSampler>();
        builder.Services.AddHostedService(services => services.GetRequiredService<JobCountsSampler>());
        builder.Services.AddSingleton<TrainingMetrics>();

        // The instance name only labels the metrics; the worker reads its own (possibly later) configuration. The
        // fallback is TrainingOptions.InstanceName's default, written out: the worker's folder depends on this one.
        var instance = builder.Configuration["Training:InstanceName"] ?? Environment.MachineName;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("backprop-service", serviceInstanceId: instance))
            .WithMetrics(metrics => metrics
                .AddMeter(TrainingMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        return builder;
    }

    /// <summary>
    /// Logs requests about a job in its scope, and serves <see cref="MetricsOptions.Path"/> in Prometheus text format
    /// while <c>Metrics:Enabled</c> is true (asked per request, so a test host's override applies; else 404).
    /// </summary>
    public static WebApplication UseObservability(this WebApplication app)
    {
        app.UseMiddleware<JobLogScopeMiddleware>();
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
            context.Request.Path == MetricsOptions.Path &&
            context.RequestServices.GetRequiredService<IOptions<MetricsOptions>>().Value.Enabled);
        return app;
    }
}
