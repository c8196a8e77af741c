using Microsoft.AspNetCore.Http.Connections.Client;

namespace BackpropService.Client;

public sealed class BackpropClientOptions
{
    /// <summary>The service's root, for example <c>http://localhost:5000</c>.</summary>
    public Uri BaseAddress { get; set; } = new("http://localhost:5000");

    /// <summary>Sent as <c>X-Api-Key</c> on every call and on the hub connection; null when the service has no keys.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How many times a transient failure (connection refused, 503, 429) is retried before it is thrown.</summary>
    public int MaxRetryAttempts { get; set; } = 5;

    /// <summary>The first retry's delay; later ones back off exponentially. A <c>Retry-After</c> header wins.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long <see cref="BackpropClient.WatchAsync"/> keeps reconnecting to a service that went away.</summary>
    public TimeSpan ReconnectTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>HTTP timeout of one attempt of one call.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Adjusts the hub connection (transports, a test server's handler) before it starts.</summary>
    public Action<HttpConnectionOptions>? ConfigureHub { get; set; }
}
