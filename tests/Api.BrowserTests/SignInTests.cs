using System.Security.Cryptography;
using System.Text;
using Xunit.Abstractions;

namespace BackpropService.Api.BrowserTests;

/// <summary>
/// A service with API keys is usable from the page: a 401 shows a key field, the key is kept in sessionStorage and
/// sent as X-Api-Key and as the hub's access_token, and a refused key asks again.
/// </summary>
public sealed class SignInTests(ITestOutputHelper output)
{
    private const string Key = "page-key-5b0e7d21c9a84f36";

    [BrowserFact]
    public async Task ThePageAsksForAKeyOnA401AndThenWorksWithIt()
    {
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Key)));
        var server = new PageServer(new Dictionary<string, string> { ["Auth:ApiKeyHashes:" + hash] = "page-user" });
        await server.InitializeAsync();
        try
        {
            using var browser = new Browser(server.BaseAddress, output);
            browser.Open();
            browser.Until(() => browser.Find("#sign-in").Displayed ? true : (bool?)null, TimeSpan.FromSeconds(15), "the key field after a 401");
            Assert.Contains("needs an API key", browser.Find("#sign-in-message").Text, StringComparison.Ordinal);

            // A wrong key is refused and forgotten, and the page asks again.
            browser.Find("#api-key").SendKeys("not-the-key");
            browser.Click("#sign-in button[type=submit]");
            // The page reloads with the key: the message can only come from the new page's 401s.
            browser.Until(() => browser.Find("#sign-in-message").Text.Contains("not accepted", StringComparison.Ordinal) ? true : (bool?)null,
                          TimeSpan.FromSeconds(15), "the refused key to be reported");
            Assert.Null(browser.Script<string>("return sessionStorage.getItem('backprop.apiKey');"));

            browser.Find("#api-key").SendKeys(Key);
            browser.Click("#sign-in button[type=submit]");
            // Only the reloaded page, with the key, can reach "live" (the page before it had no key).
            browser.Until(() => browser.Attribute("#connection", "data-state") == "live" ? true : (bool?)null,
                          TimeSpan.FromSeconds(30), "the hub to connect with the key as access_token");
            Assert.False(browser.Find("#sign-in").Displayed);
            Assert.True(browser.Find("#sign-out").Displayed);
            Assert.Equal(Key, browser.Script<string>("return sessionStorage.getItem('backprop.apiKey');"));
            Assert.Equal("", browser.Find("#jobs-error").Text);

            // Training works end to end as the key's owner: the job is created, streamed and listed.
            var job = browser.StartPreset("xor", epochs: 200);
            browser.WaitForStatus(job, "succeeded");
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
