using System.Text.RegularExpressions;

namespace BackpropService.Api.Tests.Health;

public sealed partial class StaticPageTests
{
    [Fact]
    public async Task ThePageIsServedAtTheRoot()
    {
        await using var app = new BackpropApplication();
        var response = await app.CreateClient().GetAsync("/");
        Assert.True(response.IsSuccessStatusCode, $"GET / → {(int)response.StatusCode}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task EveryScriptAndStylesheetOfThePageIsServedByTheAppItself()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var html = await client.GetStringAsync("/");
        var scripts = ScriptSource().Matches(html).Select(m => m.Groups[1].Value).ToList();
        var stylesheets = StylesheetHref().Matches(html).Select(m => m.Groups[1].Value).ToList();

        // Relative paths only: the page works offline, and the CSP's script-src 'self' allows nothing else.
        Assert.All(scripts.Concat(stylesheets), path => Assert.DoesNotContain("//", path, StringComparison.Ordinal));
        foreach (var path in scripts.Concat(stylesheets))
        {
            using var response = await client.GetAsync("/" + path);
            Assert.True(response.IsSuccessStatusCode, $"GET /{path} → {(int)response.StatusCode}: a vendored file missing from wwwroot/lib?");
        }

        // The MessagePack hub protocol extends the signalR global, and the page's own code reads it when it connects.
        var signalR = scripts.IndexOf("lib/signalr/signalr.min.js");
        var messagePack = scripts.IndexOf("lib/signalr-protocol-msgpack/signalr-protocol-msgpack.min.js");
        var page = scripts.IndexOf("js/app.js");
        Assert.True(signalR >= 0 && signalR < messagePack && messagePack < page,
                    $"scripts load in the order signalR, its MessagePack protocol, the page: {string.Join(", ", scripts)}");
    }

    [GeneratedRegex("""<script[^>]*\ssrc="([^"]+)"[^>]*>""")]
    private static partial Regex ScriptSource();

    [GeneratedRegex("""<link[^>]*\srel="stylesheet"[^>]*\shref="([^"]+)"[^>]*>""")]
    private static partial Regex StylesheetHref();
}
