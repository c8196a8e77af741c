using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Reliability;

/// <summary>
/// Weighs the requests that compute by their cost: one token bucket of compute units per client
/// (RateLimits:ComputeBurst, refilled at RateLimits:ComputeUnitsPerSecond), from which a request takes as many units
/// as it computes thousands of numbers, once its size is known and before anything is allocated.
/// </summary>
public sealed class ComputeBudget(IOptions<RateLimitOptions> options) : IDisposable
{
    public const int NumbersPerUnit = 1_000;

    private readonly PartitionedRateLimiter<string> _buckets = PartitionedRateLimiter.Create<string, string>(client =>
        RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, options.Value.ComputeBurst),
            TokensPerPeriod = Math.Max(1, options.Value.ComputeUnitsPerSecond),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    public static int Units(long numbers) => (int)Math.Min(int.MaxValue, Math.Max(1, (numbers + NumbersPerUnit - 1) / NumbersPerUnit));

    /// <summary>Null when the client may spend <paramref name="numbers"/> now; else a 429 problem with Retry-After.</summary>
    public ProblemHttpResult? TrySpend(HttpContext context, long numbers)
    {
        if (!options.Value.Enabled) return null;
        // A token bucket cannot grant more than it holds; a request larger than the burst costs the whole burst.
        var units = Math.Min(Units(numbers), Math.Max(1, options.Value.ComputeBurst));
        using var lease = _buckets.AttemptAcquire(RateLimiting.ClientOf(context), units);
        if (lease.IsAcquired) return null;
        var seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too Many Requests",
            detail: $"This request computes {numbers} numbers ({units} units); this client has spent its compute budget " +
                    $"(RateLimits:ComputeBurst = {options.Value.ComputeBurst} units of {NumbersPerUnit} numbers, refilled at " +
                    $"RateLimits:ComputeUnitsPerSecond = {options.Value.ComputeUnitsPerSecond}); retry after {seconds} s.");
    }

    public void Dispose() => _buckets.Dispose();
}
