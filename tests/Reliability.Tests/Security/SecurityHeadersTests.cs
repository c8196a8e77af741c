using System.Net;
using BackpropService.Reliability.Tests.Harness;

namespace BackpropService.Reliability.Tests.Security;

/// <summary>The page's security headers, and CORS off unless origins are configured.</summary>
public sealed class SecurityHeadersTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/js/app.js")]
    [InlineData("/api/jobs")]
    [InlineData("/no/such/route")]
    public async Task ResponsesCarryTheSecurityHeadersAndAStrictPolicy(string url)
    {
        await using var app = new InProcessService();
        using var response = await app.CreateClient().GetAsync(url);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("script-src 'self';", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("unsafe", csp);
    }

    [Fact]
    public async Task ThePolicyIsNeverBuiltFromTheHostHeader()
    {
        await using var app = new InProcessService();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "evil.example";
        using var response = await app.CreateClient().SendAsync(request);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.DoesNotContain("evil.example", csp);
        Assert.Contains("connect-src 'self';", csp);
        Assert.DoesNotContain("ws:", csp);
    }

    [Theory]
    [InlineData("/api/jobs", null)]
    [InlineData("/api/networks/none", null)]
    [InlineData("/api/jobs", "wrong-key")]
    public async Task ApiResponsesAreNotStored(string url, string? key)
    {
        await using var app = new InProcessService(key is null ? null : new Dictionary<string, string?> { ["Auth:ApiKeys:right-key-0123"] = "alice" });
        using var response = await OwnerIsolationTests.SendAsync(app.CreateClient(), "GET", url, key, null);
        Assert.True(response.Headers.CacheControl?.NoStore, $"{url} → {(int)response.StatusCode}, Cache-Control: {response.Headers.CacheControl}");
    }

    [Fact]
    public async Task CorsIsOffByDefaultAndOnlyForConfiguredOrigins()
    {
        await using (var closed = new InProcessService())
        {
            using var preflight = await PreflightAsync(closed.CreateClient(), "https://evil.example");
            Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"));
        }
        await using var open = new InProcessService(new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = "https://dashboard.example" });
        using (var allowed = await PreflightAsync(open.CreateClient(), "https://dashboard.example"))
            Assert.Equal("https://dashboard.example", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        using (var other = await PreflightAsync(open.CreateClient(), "https://evil.example"))
            Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private static Task<HttpResponseMessage> PreflightAsync(HttpClient client, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/jobs");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        return client.SendAsync(request);
    }

    [Fact]
    public async Task SwaggerUiKeepsWorkingWithoutTheStrictPolicy()
    {
        await using var app = new InProcessService();
        using var response = await app.CreateClient().GetAsync("/swagger/index.html");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.False(response.Headers.Contains("Content-Security-Policy"));
    }
}
