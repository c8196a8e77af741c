using BackpropService.Api.Errors;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Reliability;

/// <summary>
/// ASP.NET Core's rate limiter on POST /api/jobs (and /api/sweeps), POST /api/graphs/evaluate, POST /api/jobs/{id}/predict, POST /api/jobs/{id}/explain and
/// GET /api/jobs/{id}/graph, one token bucket per client and endpoint, counting requests (their cost is weighed by
/// <see cref="ComputeBudget"/> once it is known). A rejected request gets 429 (not the middleware's default 503) with Retry-After and a problem body.
/// </summary>
public static class RateLimiting
{
    /// <summary>Set by the API key authentication handler to the caller's owner; without keys, clients are told apart by IP.</summary>
    public const string ClientItemKey = "backprop.client";

    public static IServiceCollection AddApiRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration("RateLimits");
        services.AddRateLimiter(_ => { });
        services.AddSingleton<ComputeBudget>();
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, options) =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, options.Value));
            limiter.OnRejected = RejectAsync;
        });
        return services;
    }

    private static RateLimitPartition<string> Partition(HttpContext context, RateLimitOptions options)
    {
        var request = context.Request;
        if (!options.Enabled) return RateLimitPartition.GetNoLimiter("none");
        var (name, burst, perSecond) = Bucket(request, options);
        if (name is null) return RateLimitPartition.GetNoLimiter("none");
        var client = ClientOf(context);
        return RateLimitPartition.GetTokenBucketLimiter($"{name}|{client}", _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, burst),
            TokensPerPeriod = Math.Max(1, perSecond),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    /// <summary>The caller a rate limit applies to: its owner when API keys are on, else its IP address.</summary>
    public static string ClientOf(HttpContext context) =>
        context.Items[ClientItemKey] as string ?? "ip:" + context.Connection.RemoteIpAddress;

    private static (string? Name, int Burst, int PerSecond) Bucket(HttpRequest request, RateLimitOptions options)
    {
        var path = request.Path.Value?.TrimEnd('/') ?? "";
        if (HttpMethods.IsPost(request.Method))
        {
            // A sweep is one submission, however many trials it queues (it shares the jobs' bucket).
            if (path.Equals("/api/jobs", StringComparison.OrdinalIgnoreCase) || path.Equals("/api/sweeps", StringComparison.OrdinalIgnoreCase))
                return ("jobs", options.JobSubmissionBurst, options.JobSubmissionsPerSecond);
            if (path.Equals("/api/graphs/evaluate", StringComparison.OrdinalIgnoreCase))
                return ("evaluate", options.EvaluateBurst, options.EvaluationsPerSecond);
            if (IsJobRoute(path, "predict"))
                return ("predict", options.PredictBurst, options.PredictionsPerSecond);
            // Explanations are predictions with a backward pass: the same request rates, in a bucket of their own.
            if (IsJobRoute(path, "explain"))
                return ("explain", options.PredictBurst, options.PredictionsPerSecond);
        }
        else if (HttpMethods.IsGet(request.Method) && IsJobRoute(path, "graph"))
        {
            return ("graph", options.GraphReadBurst, options.GraphReadsPerSecond);
        }
        return (null, 0, 0);
    }

    /// <summary>Whether the path is /api/jobs/{id}/{action}.</summary>
    private static bool IsJobRoute(string path, string action)
    {
        const string prefix = "/api/jobs/";
        if (!path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || !path.EndsWith("/" + action, StringComparison.OrdinalIgnoreCase))
            return false;
        var id = path.AsSpan(prefix.Length, Math.Max(0, path.Length - prefix.Length - action.Length - 1));
        return id.Length > 0 && !id.Contains('/');
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken ct)
    {
        var context = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await context.WriteProblemAsync(StatusCodes.Status429TooManyRequests, "Too Many Requests",
            $"Too many requests to {context.Request.Path} from this client (RateLimits configuration); retry after {seconds} s.");
    }
}
