using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace BackpropService.Reliability.Tests.Harness;

/// <summary>
/// A SignalR client that subscribes to a job and then never reads: a raw WebSocket on a socket with a tiny
/// receive buffer, so the server's send buffers fill within moments, like a frozen browser tab.
/// </summary>
public sealed class StuckHubClient : IDisposable
{
    private readonly Socket _socket;

    private StuckHubClient(Socket socket) => _socket = socket;

    /// <summary>Connects, upgrades and sends Subscribe; throws <see cref="TimeoutException"/> when that takes longer than <paramref name="timeout"/> (30 s by default).</summary>
    public static async Task<StuckHubClient> SubscribeAsync(Uri baseAddress, string jobId, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        using var deadline = new CancellationTokenSource(limit);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 2048 };
        var response = new StringBuilder();
        try
        {
            var ct = deadline.Token;
            await socket.ConnectAsync(baseAddress.Host, baseAddress.Port, ct);
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            await SendAsync(socket, Encoding.ASCII.GetBytes(
                $"GET /hubs/training HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"), ct);
            var one = new byte[1];
            while (!response.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await socket.ReceiveAsync(one, SocketFlags.None, ct) == 1)
                response.Append((char)one[0]);
            if (!response.ToString().StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
                throw new InvalidOperationException("WebSocket upgrade refused: " + response);
            await SendAsync(socket, Frame("{\"protocol\":\"json\",\"version\":1}\u001e"), ct);
            await SendAsync(socket, Frame($"{{\"type\":1,\"invocationId\":\"1\",\"target\":\"Subscribe\",\"arguments\":[\"{jobId}\"]}}\u001e"), ct);
            return new StuckHubClient(socket);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException($"The stuck subscriber's WebSocket upgrade and Subscribe did not go through within {limit}; received: {response}");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Reads (at last) until the server closes the connection; true if it did within <paramref name="timeout"/>.</summary>
    public async Task<bool> WasDisconnectedAsync(TimeSpan timeout)
    {
        var buffer = new byte[1 << 16];
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await _socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token) > 0) { }
            return true;
        }
        catch (SocketException) { return true; } // reset by the server
        catch (OperationCanceledException) { return false; }
    }

    private static async Task SendAsync(Socket socket, byte[] bytes, CancellationToken ct)
    {
        for (var sent = 0; sent < bytes.Length;) sent += await socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None, ct);
    }

    /// <summary>One masked text frame, as a client must send.</summary>
    private static byte[] Frame(string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        var header = new List<byte> { 0x81 };
        if (payload.Length < 126) header.Add((byte)(0x80 | payload.Length));
        else { header.Add(0x80 | 126); header.Add((byte)(payload.Length >> 8)); header.Add((byte)payload.Length); }
        var mask = RandomNumberGenerator.GetBytes(4);
        header.AddRange(mask);
        for (var i = 0; i < payload.Length; i++) payload[i] ^= mask[i % 4];
        return [.. header, .. payload];
    }

    public void Dispose() => _socket.Dispose();
}
