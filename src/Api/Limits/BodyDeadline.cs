namespace BackpropService.Api.Limits;

/// <summary>
/// Drops the connection of a request whose body is not fully received within Limits:RequestBodyTimeout. The body
/// is watched through <see cref="Watch"/> (or marked received with <see cref="Complete"/>), so a slow endpoint that
/// has already read its body is never cut off.
/// </summary>
public sealed class BodyDeadline : IDisposable
{
    private readonly CancellationTokenSource _timer;
    private readonly CancellationTokenRegistration _registration;
    private int _state; // 0 receiving, 1 received, 2 expired

    public BodyDeadline(HttpContext context, TimeSpan timeout)
    {
        _timer = new CancellationTokenSource(timeout);
        _registration = _timer.Token.Register(() =>
        {
            if (Interlocked.CompareExchange(ref _state, 2, 0) == 0) context.Abort();
        });
    }

    /// <summary>The deadline passed before the body arrived, and the connection was aborted.</summary>
    public bool Expired => Volatile.Read(ref _state) == 2;

    public void Complete() => Interlocked.CompareExchange(ref _state, 1, 0);

    /// <summary>The body, marking the deadline met once it has been read to its end.</summary>
    public Stream Watch(Stream body, long length) => new WatchedBody(body, length, this);

    public void Dispose()
    {
        _registration.Dispose();
        _timer.Dispose();
    }

    private sealed class WatchedBody(Stream inner, long length, BodyDeadline deadline) : Stream
    {
        private long _read;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        private int Count(int read)
        {
            _read += read;
            if (read == 0 || _read >= length) deadline.Complete();
            return read;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
