using System.Net;
using System.Net.Sockets;
using System.Text;
using BackpropService.Reliability.Tests.Harness;
using Xunit.Abstractions;

namespace BackpropService.Reliability.Tests.Cost;

/// <summary>
/// Connections that send part of a chunked body and then stall are dropped by the server once Limits:RequestBodyTimeout
/// passes, their sockets closed, and nothing of their bodies stays resident: the service's RSS after each of three
/// rounds is back within a small bound of where it started. While they stall, they hold at most
/// Limits:MaxConcurrentBodies slots; a further body is a 503 with Retry-After.
/// </summary>
public sealed class StalledBodyTests(ITestOutputHelper output)
{
    private const int Connections = 6;
    private const int BytesEach = 8 * 1024 * 1024;

    /// <summary>
    /// Growth of peak resident memory allowed during a round, over the RSS before the first: far below the 48 MB the
    /// six bodies amount to, since a chunked body is spooled to a temporary file past its first 30 KB. What is left is
    /// Kestrel's per-connection request buffer (1 MB each) and the allocations of six requests.
    /// </summary>
    private const double PeakBoundMb = 64;

    /// <summary>Growth of resident memory allowed once a round's connections are closed, over the RSS before the first.</summary>
    private const double ReturnBoundMb = 32;

    [Fact]
    public async Task StalledChunkedBodiesAreDroppedTheirSocketsClosedAndRssReturnsAfterEachOfThreeRounds()
    {
        using var db = new TempDatabase();
        var spool = Directory.CreateTempSubdirectory("backprop-spool-");
        await using var service = await ServiceProcess.StartAsync(db.Path, db.InstanceName, new Dictionary<string, string>
        {
            ["Limits__RequestBodyTimeout"] = "00:00:03",
            ["ASPNETCORE_TEMP"] = spool.FullName, // where the bodies past their first 30 KB are spooled
            // The warm-up after the first /health compiles the first job's code (~10 MB resident, once) during round 1,
            // after the RSS below is read: off, so the bounds measure the bodies alone.
            ["Startup__WarmUp"] = "false",
        });
        var start = ProcessMemory.ResidentMb(service.Id);
        for (var round = 1; round <= 3; round++)
        {
            ProcessMemory.ResetPeak(service.Id);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var closed = await Task.WhenAll(Enumerable.Range(0, Connections).Select(async _ =>
            {
                using var stalled = await StalledBody.OpenAsync(service.BaseAddress, BytesEach);
                return await stalled.WaitForCloseAsync();
            }));
            var peak = ProcessMemory.PeakMb(service.Id);
            var resident = ProcessMemory.ResidentMb(service.Id);
            output.WriteLine($"round {round}: closed after {clock.Elapsed.TotalSeconds:F1} s ({string.Join(", ", closed)}); RSS from {start:F0} MB, peak {peak:F0} MB, now {resident:F0} MB");
            Assert.All(closed, how => Assert.NotEqual("open", how));
            Assert.True(peak - start <= PeakBoundMb, $"round {round}: peak RSS {peak:F0} MB is more than {PeakBoundMb} MB over the {start:F0} MB before the first round");
            Assert.True(resident - start <= ReturnBoundMb, $"round {round}: RSS {resident:F0} MB once the connections closed is more than {ReturnBoundMb} MB over the {start:F0} MB before the first round");
            // The dropped requests' spool files go with them (deleted as each request is disposed, after its socket).
            await Wait.UntilAsync(() => !spool.EnumerateFiles().Any(), TimeSpan.FromSeconds(30), () => $"round {round}: spool files left: {string.Join(", ", spool.EnumerateFiles().Select(f => $"{f.Name} {f.Length} B"))}");
        }
        spool.Delete(recursive: true);

        using var health = await service.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task PastMaxConcurrentBodiesARequestWithABodyIs503WithRetryAfterUntilTheStalledOnesAreDropped()
    {
        using var db = new TempDatabase();
        await using var service = await ServiceProcess.StartAsync(db.Path, db.InstanceName, new Dictionary<string, string>
        {
            ["Limits__RequestBodyTimeout"] = "00:00:03",
            ["Limits__MaxConcurrentBodies"] = "2",
        });
        var stalled = new[]
        {
            await StalledBody.OpenAsync(service.BaseAddress, 1024),
            await StalledBody.OpenAsync(service.BaseAddress, 1024),
        };

        // Each stalled body takes its slot once the server has read its headers; until then a request may pass, and
        // a stalled body whose headers arrive while such a request holds a slot is itself answered 503: it is opened
        // again. A 503 to a request while no stalled body has an answer means both stalled bodies hold the slots.
        HttpResponseMessage response;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((response = await PostAsync(service.Client)).StatusCode != HttpStatusCode.ServiceUnavailable || stalled.Any(s => s.WasAnswered))
        {
            response.Dispose();
            Assert.True(DateTime.UtcNow < deadline, $"the stalled bodies never took the slots: {(int)response.StatusCode}\n{service.RecentOutput}");
            for (var i = 0; i < stalled.Length; i++)
            {
                if (!stalled[i].WasAnswered) continue;
                stalled[i].Dispose();
                stalled[i] = await StalledBody.OpenAsync(service.BaseAddress, 1024);
            }
        }
        using var first = stalled[0];
        using var second = stalled[1];
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "Retry-After in seconds");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            Assert.Contains("Limits:MaxConcurrentBodies", body);
        }
        using (var list = await service.Client.GetAsync("/api/datasets"))
            Assert.Equal(HttpStatusCode.OK, list.StatusCode); // a request without a body is not counted

        Assert.NotEqual("open", await first.WaitForCloseAsync());
        Assert.NotEqual("open", await second.WaitForCloseAsync());
        // The server closes the socket first and then frees the slot, when the aborted read returns in the app.
        var freed = DateTime.UtcNow.AddSeconds(10);
        HttpStatusCode after;
        while ((after = await PostStatusAsync(service.Client)) == HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < freed) { }
        Assert.Equal(HttpStatusCode.BadRequest, after);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client) =>
        client.PostAsync("/api/datasets", new StringContent("{}", Encoding.UTF8, "application/json"));

    private static async Task<HttpStatusCode> PostStatusAsync(HttpClient client)
    {
        using var response = await PostAsync(client);
        return response.StatusCode;
    }

    /// <summary>A connection that has sent a POST's headers and part of its chunked body, and then nothing.</summary>
    private sealed class StalledBody(TcpClient client) : IDisposable
    {
        /// <summary>Sends the headers and <paramref name="bytes"/> of body; a 60 s fuse for it all (a server that stops reading fails the test).</summary>
        public static async Task<StalledBody> OpenAsync(Uri server, int bytes)
        {
            var client = new TcpClient();
            using var fuse = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await client.ConnectAsync(server.Host, server.Port, fuse.Token);
                var stream = client.GetStream();
                var headers = $"POST /api/datasets HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(headers), fuse.Token);
                var chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("0,", Math.Min(bytes, 64 * 1024) / 2)));
                var prefix = Encoding.ASCII.GetBytes($"{chunk.Length:X}\r\n");
                for (var sent = 0; sent < bytes; sent += chunk.Length)
                {
                    await stream.WriteAsync(prefix, fuse.Token);
                    await stream.WriteAsync(chunk, fuse.Token);
                    await stream.WriteAsync("\r\n"u8.ToArray(), fuse.Token);
                }
                return new StalledBody(client);
            }
            catch (OperationCanceledException) when (fuse.IsCancellationRequested)
            {
                client.Dispose();
                throw new TimeoutException($"Sending {bytes} bytes of a chunked body to {server} took longer than 60 s.");
            }
            catch
            {
                client.Dispose();
                throw;
            }
        }

        /// <summary>Whether the server has answered (a 503 when no slot was free) rather than waiting for the rest.</summary>
        public bool WasAnswered => client.Available > 0;

        /// <summary>Waits for the server to close the connection: "closed" (FIN), "reset", or "open" after a 60 s fuse.</summary>
        public async Task<string> WaitForCloseAsync()
        {
            using var fuse = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var buffer = new byte[4096];
            try
            {
                // A response before the close (an error status) is read and the wait goes on.
                while (await client.GetStream().ReadAsync(buffer, fuse.Token) > 0) { }
                return "closed";
            }
            catch (IOException) { return "reset"; }
            catch (OperationCanceledException) { return "open"; }
        }

        public void Dispose() => client.Dispose();
    }
}
