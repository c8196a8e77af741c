namespace BackpropService.Api.Observability;

/// <summary>Metrics settings, bound from the "Metrics" configuration section.</summary>
public sealed class MetricsOptions
{
    /// <summary>Where Prometheus scrapes the OpenTelemetry metrics.</summary>
    public const string Path = "/metrics";

    /// <summary>Serve <see cref="Path"/> (default true); when false it answers 404.</summary>
    public bool Enabled { get; set; } = true;
}
