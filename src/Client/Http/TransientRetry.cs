using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace BackpropService.Client.Http;

/// <summary>
/// The retry pipeline every call goes through: a refused connection (the service restarting), 503 (storage briefly
/// unavailable, queue full) and 429 (rate limited, waiting the <c>Retry-After</c> the service sent) are retried with
/// exponential backoff. Nothing else is: a timeout or a 500 may have done the work, and a 4xx will not change.
/// </summary>
internal static class TransientRetry
{
    public static HttpMessageHandler Wrap(HttpMessageHandler inner, BackpropClientOptions options)
    {
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(1, options.MaxRetryAttempts),
                Delay = options.RetryDelay,
                MaxDelay = TimeSpan.FromSeconds(30),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
            })
            .Build();
        return new ResilienceHandler(pipeline) { InnerHandler = inner };
    }

    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } } => true,
        { Result.StatusCode: HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests } => true,
        _ => false,
    };
}
