using System.Net.Sockets;
using System.Text;
using BackpropService.Reliability.Tests.Harness;

namespace BackpropService.Reliability.Tests.Security;

/// <summary>
/// Requests Kestrel refuses, sent byte for byte to a real service process. Those refused inside the app's pipeline (a
/// Host not in AllowedHosts, a body that is malformed as it is read) are problem+json with the security headers.
/// Those Kestrel refuses while parsing the request line and headers, before any application code runs, are the bare
/// status with no body and the connection closed: ASP.NET Core has no hook for them (docs/reliability.md).
/// </summary>
public sealed class KestrelRejectionTests(KestrelRejectionTests.Service fixture) : IClassFixture<KestrelRejectionTests.Service>
{
    private const string Allowed = "backprop.example";

    /// <summary>One service process for the class, answering to <see cref="Allowed"/> and the loopback address.</summary>
    public sealed class Service : IAsyncLifetime
    {
        private readonly TempDatabase _db = new();

        public ServiceProcess Process { get; private set; } = null!;

        public async Task InitializeAsync() =>
            Process = await ServiceProcess.StartAsync(_db.Path, _db.InstanceName, new Dictionary<string, string>
            {
                ["AllowedHosts"] = $"{Allowed};127.0.0.1",
            });

        public async Task DisposeAsync()
        {
            await Process.DisposeAsync();
            _db.Dispose();
        }
    }

    [Fact]
    public async Task AHostNotInAllowedHostsIsAProblemNamingTheSetting()
    {
        var response = await SendAsync("GET /api/jobs HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
        AssertProblem(response, 400, "AllowedHosts");
        Assert.Contains("evil.example", response.Body);
        var allowed = await SendAsync($"GET /api/jobs HTTP/1.1\r\nHost: {Allowed}\r\nConnection: close\r\n\r\n");
        Assert.Equal(200, allowed.Status);
    }

    [Theory]
    [InlineData("ZZ\r\nabc\r\n0\r\n\r\n", "chunk")]                          // a chunk size that is not hex
    [InlineData("3\r\nabcdef\r\n0\r\n\r\n", "chunk")]                         // a chunk longer than its size
    public async Task AChunkedBodyMalformedAsItIsReadIsAProblem(string body, string named)
    {
        var response = await SendAsync($"POST /api/datasets HTTP/1.1\r\nHost: {Allowed}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n{body}");
        AssertProblem(response, 400, named);
    }

    [Theory]
    [InlineData("GARBAGE\r\n\r\n", 400)]                                                   // no method, target or version
    [InlineData("GET /health HTTP/1.1\r\n\r\n", 400)]                                       // HTTP/1.1 without Host
    [InlineData("GET /health HTTP/1.1\r\nHost: a b\r\n\r\n", 400)]                          // a Host that is no host name
    [InlineData("GET /health HTTP/1.1\r\nHost: x\r\nBroken header\r\n\r\n", 400)]           // a header line without a colon
    [InlineData("POST /api/datasets HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n", 400)]
    [InlineData("GET /health HTTP/7.0\r\nHost: x\r\n\r\n", 505)]
    public async Task WhatKestrelRefusesBeforeTheAppRunsIsTheBareStatusAndTheConnectionCloses(string request, int status)
    {
        var response = await SendAsync(request);
        AssertBare(response, status);
    }

    [Fact]
    public async Task HeadersOverKestrelsLimitAreABare431()
    {
        var response = await SendAsync($"GET /health HTTP/1.1\r\nHost: {Allowed}\r\nX-Big: {new string('a', 40_000)}\r\n\r\n");
        AssertBare(response, 431);
    }

    private static void AssertProblem(RawResponse response, int status, string named)
    {
        Assert.True(response.Status == status, $"expected {status}:\n{response.Head}\n{response.Body}");
        Assert.Equal("application/problem+json", response.Header("Content-Type"));
        Assert.Equal("nosniff", response.Header("X-Content-Type-Options"));
        Assert.Contains($"\"status\":{status}", response.Body);
        Assert.Contains(named, response.Body, StringComparison.OrdinalIgnoreCase);
    }

    private static void AssertBare(RawResponse response, int status)
    {
        Assert.True(response.Status == status, $"expected {status}:\n{response.Head}");
        Assert.Equal("0", response.Header("Content-Length"));
        Assert.Equal("close", response.Header("Connection"));
        Assert.True(response.Closed, "the server closes the connection after refusing the request");
    }

    /// <summary>Connects, writes the bytes, then reads until the server closes (a 30 s fuse for it all), and splits head from body.</summary>
    private async Task<RawResponse> SendAsync(string request)
    {
        using var client = new TcpClient();
        var server = fixture.Process.BaseAddress;
        using var fuse = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await client.ConnectAsync(server.Host, server.Port, fuse.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), fuse.Token);
        var received = new MemoryStream();
        var buffer = new byte[8192];
        var closed = true;
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, fuse.Token)) > 0)
                received.Write(buffer, 0, read);
        }
        catch (OperationCanceledException) { closed = false; }
        catch (IOException) { }
        var text = Encoding.UTF8.GetString(received.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(split > 0, $"no response head in {text.Length} bytes: {text}");
        return new RawResponse(text[..split], text[(split + 4)..], closed);
    }

    private sealed record RawResponse(string Head, string Body, bool Closed)
    {
        public int Status => int.Parse(Head.Split(' ')[1]);

        public string? Header(string name) => Head.Split("\r\n").Skip(1)
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2 && parts[0].Equals(name, StringComparison.OrdinalIgnoreCase))
            .Select(parts => parts[1].Trim().Split(';')[0])
            .FirstOrDefault();
    }
}
