using Xunit.Abstractions;

namespace BackpropService.Api.BrowserTests;

/// <summary>The finished page as a user sees it: saved into the test output, and as the README's picture.</summary>
[Collection(PageCollection.Name)]
public sealed class ScreenshotTests(PageServer server, ITestOutputHelper output)
{
    [BrowserFact]
    public void FinishedPageIsCapturedAsAScreenshot()
    {
        using var browser = new Browser(server.BaseAddress, output);
        browser.Open();

        // Two finished jobs compared on the chart; the XOR job selected, its first weight clicked.
        // Short runs: the presets themselves train for seconds (sized to be watched), the picture needs only their ends.
        var circles = browser.StartPreset("circles", 2_000);
        Assert.Equal("succeeded", browser.WaitForStatus(circles, "succeeded", "failed", "cancelled"));
        var xor = browser.StartPreset("xor", 3_000);
        Assert.Equal("succeeded", browser.WaitForStatus(xor, "succeeded", "failed", "cancelled"));
        browser.Click($"#job-list [data-job-id='{circles}'] .compare input");
        browser.Until(() => browser.Attribute("#loss-chart", "data-series") == "2" ? true : (bool?)null, TimeSpan.FromSeconds(10), "both jobs on the chart");
        Assert.True(browser.Find("#log-scale").Selected, "the chart starts on a log scale");

        // The page unticks the scalar view for a network too big for it (e.g. another test's spirals job shown at load).
        if (!browser.Find("#graph-card [name=graphUnroll]").Selected)
            browser.Click("#graph-card [name=graphUnroll]");
        browser.SetValue("input[name=graphRow]", "3");
        const string weight = "#graph-card [data-node-id='layers.0.weights[0,0]']";
        browser.Until(() => browser.FindOrNull("#graph-card [data-node-id='x[0,0]'] .node-value") is { } x && x.Text == "v 1" ? true : (bool?)null,
                      TimeSpan.FromSeconds(20), "the XOR graph of row 3");
        browser.Click(weight);
        browser.Until(() => browser.Attribute("#path-sum", "data-match") == "true" ? true : (bool?)null, TimeSpan.FromSeconds(10), "the path sum");
        browser.Until(() => browser.Attribute("#boundary-card", "data-state") == "drawn" ? true : (bool?)null, TimeSpan.FromSeconds(15), "the decision boundary");
        // The chain-rule panel on a function where two paths meet: d(x·sin x)/dx = sin x + x·cos x.
        browser.SetValue("#chain-card select[name=function]", "x·sin(x) (two paths)");
        browser.Until(() => browser.FindOrNull("#chain-card [data-role=chain-paths]") is { Displayed: true } p && p.GetDomAttribute("data-path-count") == "2" ? true : (bool?)null,
                      TimeSpan.FromSeconds(10), "the chain-rule panel with two paths");
        browser.Script<object>("window.scrollTo(0, 0)");

        var path = browser.SaveScreenshot("page", fullPage: true);
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 20_000, $"suspiciously small screenshot ({bytes.Length} bytes)");
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, bytes[..4]);

        // Refresh the README's picture only when asked: a plain `dotnet test` should leave the working tree as it was.
        if (Environment.GetEnvironmentVariable("BACKPROP_UPDATE_SCREENSHOT") == "1" && FindRepositoryRoot() is { } root)
            File.Copy(path, Path.Combine(root, "docs", "screenshot.png"), overwrite: true);
    }

    private static string? FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BackpropService.sln")))
                return dir.FullName;
        return null;
    }
}
