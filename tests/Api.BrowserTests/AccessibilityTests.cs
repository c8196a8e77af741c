using Xunit.Abstractions;

namespace BackpropService.Api.BrowserTests;

/// <summary>axe-core (vendored in wwwroot/lib, not loaded by the page) finds no serious or critical violation, on a wide screen and a phone.</summary>
[Collection(PageCollection.Name)]
public sealed class AccessibilityTests(PageServer server, ITestOutputHelper output)
{
    [BrowserFact]
    public void AxeFindsNoSeriousViolationOnAWideScreen() => Check(1440, 1600);

    [BrowserFact]
    public void AxeFindsNoSeriousViolationOnAPhone() => Check(390, 844);

    private void Check(int width, int height)
    {
        using var browser = new Browser(server.BaseAddress, output);
        browser.Driver.Manage().Window.Size = new System.Drawing.Size(width, height);
        browser.Open();
        var found = browser.Driver.ExecuteAsyncScript("""
            const done = arguments[arguments.length - 1];
            const script = document.createElement('script');
            script.src = '/lib/axe-core/axe.min.js';
            script.onload = () => axe.run(document, { resultTypes: ['violations'] })
              .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                                          .map(v => `${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')})`)))
              .catch(e => done([`axe failed: ${e}`]));
            document.head.append(script);
            """) as IReadOnlyCollection<object>;
        Assert.NotNull(found);
        Assert.True(found.Count == 0, string.Join("\n", found));
    }
}
