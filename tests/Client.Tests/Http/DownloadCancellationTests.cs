using System.Net;
using BackpropService.Client;

namespace BackpropService.Client.Tests.Http;

/// <summary>
/// Ctrl+C during a model download: the transport breaks the body off with an I/O error once the caller cancels, and
/// the client must report the cancellation (the CLI's Ctrl+C path), not an I/O error, and leave no partial file.
/// </summary>
public sealed class DownloadCancellationTests
{
    [Fact]
    public async Task ACancelledDownloadIsACancellationAndLeavesNoFile()
    {
        var body = new BodyAbortedOnCancel();
        using var client = new BackpropClient(new BackpropClientOptions { BaseAddress = new Uri("http://model.test"), MaxRetryAttempts = 0 },
            new ModelHandler(body));
        var path = Path.Combine(Path.GetTempPath(), $"backprop-{Guid.NewGuid():N}.onnx");
        using var cts = new CancellationTokenSource();

        var download = client.DownloadModelAsync("job-1", path, cts.Token);
        await body.SecondReadStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(File.Exists(path));
        await cts.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => download.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.IsType<IOException>(error.InnerException);
        Assert.False(File.Exists(path));
    }

    private sealed class ModelHandler(Stream body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body) });
    }

    /// <summary>Gives one chunk, then blocks the next read until the caller's token cancels it, and fails it as an aborted transport does.</summary>
    private sealed class BodyAbortedOnCancel : Stream
    {
        private int _reads;
        public TaskCompletionSource SecondReadStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            if (_reads++ == 0)
            {
                buffer.Span[..4].Fill(0x08);
                return 4;
            }
            SecondReadStarted.TrySetResult();
            try { await Task.Delay(Timeout.Infinite, ct); } catch (OperationCanceledException) { }
            throw new IOException("The client aborted the request.");
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
