using BackpropService.Client.Tests.Harness;

namespace BackpropService.Client.Tests.Http;

/// <summary>
/// A call whose token is cancelled ends in <see cref="OperationCanceledException"/> for that token, whatever the
/// transport throws for the request it aborted: callers (the CLI's Ctrl+C) tell an interrupt from a failure by it.
/// </summary>
public sealed class CancellationTests
{
    /// <summary>
    /// Cancels the caller's token once a response's headers are in, and fails the read of its body the way the
    /// in-memory test server fails a body whose request the cancellation aborted mid-answer (an IOException, as in a
    /// CI run where Ctrl+C hit `backprop train` while it read the job).
    /// </summary>
    private sealed class AbortAfterHeaders(HttpMessageHandler inner, CancellationTokenSource caller) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var aborted = new StreamContent(new AbortedBody());
            foreach (var header in response.Content.Headers) aborted.Headers.TryAddWithoutValidation(header.Key, header.Value);
            response.Content = aborted;
            await caller.CancelAsync();
            return response;
        }
    }

    private sealed class AbortedBody : MemoryStream
    {
        public override int Read(byte[] buffer, int offset, int count) => throw Aborted();
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromException<int>(Aborted());
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromException<int>(Aborted());
        private static IOException Aborted() => new("The client aborted the request.");
    }

    [Fact]
    public async Task ABodyReadFailingBecauseTheCallWasCancelledIsAnOperationCanceledExceptionForThatToken()
    {
        await using var service = TestService.Start();
        using var setup = service.Client();
        var network = await setup.CreateNetworkAsync(Xor.Network);
        using var caller = new CancellationTokenSource();
        using var client = service.Client(inner: server => new AbortAfterHeaders(server, caller));

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetNetworkAsync(network.Id, caller.Token));
        Assert.Equal(caller.Token, error.CancellationToken);
        Assert.IsType<IOException>(error.InnerException);
    }
}
