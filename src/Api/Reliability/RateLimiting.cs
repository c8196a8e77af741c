using BackpropService.Api.Errors;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Reliability;

/// <summary>
/// ASP.NET Core's rate limiter on POST /api/jobs and POST /api/graphs/evaluate, one token bucket per client and
/// endpoint. A rejected request gets 429 (not the middleware's default 503) with Retry-After and a problem body.
/// </summary>
public static class RateLimiting
{
    /// <summary>Set by the API key authentication handler to the caller's owner; without keys, clients are told apart by IP.</summary>
    public const string ClientItemKey = "backprop.client";

    public static IServiceCollection AddApiRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration("RateLimits");
        services.AddRateLimiter(_ => { });
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
        if (!options.Enabled || !HttpMethods.IsPost(request.Method)) return RateLimitPartition.GetNoLimiter("none");
        var path = request.Path.Value?.TrimEnd('/') ?? "";
        var (name, burst, perSecond) = path.Equals("/api/jobs", StringComparison.OrdinalIgnoreCase)
            ? ("jobs", options.JobSubmissionBurst, options.JobSubmissionsPerSecond)
            : path.Equals("/api/graphs/evaluate", StringComparison.OrdinalIgnoreCase)
                ? ("evaluate", options.EvaluateBurst, options.EvaluationsPerSecond)
                : (null, 0, 0);
        if (name is null) return RateLimitPartition.GetNoLimiter("none");
        var client = context.Items[ClientItemKey] as string ?? "ip:" + context.Connection.RemoteIpAddress;
        return RateLimitPartition.GetTokenBucketLimiter($"{name}|{client}", _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, burst),
            TokensPerPeriod = Math.Max(1, perSecond),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
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
