using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using BackpropService.Client.Tests.Harness;

namespace BackpropService.Client.Tests.Http;

/// <summary>The retry pipeline: transient failures are retried (with the same Idempotency-Key), others are not.</summary>
public sealed class TransientRetryTests
{
    /// <summary>Fails the first requests with the given faults, then lets requests through to the service.</summary>
    private sealed class Faults(HttpMessageHandler inner, params Func<HttpResponseMessage>[] faults) : DelegatingHandler(inner)
    {
        private int _calls;
        public ConcurrentQueue<(DateTime At, string? IdempotencyKey)> Seen { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            Seen.Enqueue((DateTime.UtcNow, request.Headers.TryGetValues(BackpropClient.IdempotencyKeyHeader, out var keys) ? keys.Single() : null));
            var call = Interlocked.Increment(ref _calls) - 1;
            return call < faults.Length ? Task.FromResult(faults[call]()) : base.SendAsync(request, ct);
        }
    }

    private static HttpResponseMessage Refused() =>
        throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused", new SocketException((int)SocketError.ConnectionRefused));

    private static HttpResponseMessage Status(HttpStatusCode status, TimeSpan? retryAfter = null)
    {
        var response = new HttpResponseMessage(status);
        if (retryAfter is { } delay) response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(delay);
        return response;
    }

    [Fact]
    public async Task ARefusedConnectionA503AndA429AreRetriedWithTheSameIdempotencyKeyAndTheRetryAfterWaited()
    {
        await using var service = TestService.Start();
        Faults? faults = null;
        using var client = service.Client(inner: server => faults = new Faults(server,
            Refused, () => Status(HttpStatusCode.ServiceUnavailable), () => Status(HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(1))));

        var job = await client.CreateJobAsync(Xor.Job(epochs: 5));

        Assert.NotNull(job.Id);
        var seen = faults!.Seen.ToArray();
        Assert.Equal(4, seen.Length);
        Assert.Single(seen.Select(s => s.IdempotencyKey).Distinct());
        Assert.NotNull(seen[0].IdempotencyKey);
        Assert.True(seen[3].At - seen[2].At >= TimeSpan.FromSeconds(0.95), $"the retry after a 429 waited {seen[3].At - seen[2].At}, not the Retry-After of 1 s");
        Assert.Single((await client.ListJobsAsync()).Items);
    }

    [Fact]
    public async Task AServerErrorIsNotRetried()
    {
        await using var service = TestService.Start();
        Faults? faults = null;
        using var client = service.Client(inner: server => faults = new Faults(server, () => Status(HttpStatusCode.InternalServerError)));

        var error = await Assert.ThrowsAsync<BackpropApiException>(() => client.ListJobsAsync());

        Assert.Equal(500, error.Status);
        Assert.Single(faults!.Seen);
    }

    [Fact]
    public async Task AServiceThatStaysUnreachableIsAnHttpRequestExceptionAfterTheRetries()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now: every connection is refused
        using var client = new BackpropClient(new BackpropClientOptions
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            MaxRetryAttempts = 2,
            RetryDelay = TimeSpan.FromMilliseconds(10),
        });

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.ListJobsAsync());

        Assert.Equal(HttpRequestError.ConnectionError, error.HttpRequestError);
    }
}
