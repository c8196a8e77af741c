namespace BackpropService.Api.BrowserTests;

public sealed class BrowserFactAttributeTests
{
    private const string Missing = "Browser tests need Chromium and its driver; missing: /usr/bin/chromium.";

    [Fact]
    public void MissingBrowserSkipsWithTheReasonOutsideCi() =>
        Assert.Equal(Missing, BrowserFactAttribute.SkipReason(Missing, isCi: false));

    [Fact]
    public void MissingBrowserRunsAndFailsUnderCi() =>
        Assert.Null(BrowserFactAttribute.SkipReason(Missing, isCi: true));

    [Fact]
    public void InstalledBrowserAlwaysRuns()
    {
        Assert.Null(BrowserFactAttribute.SkipReason(null, isCi: false));
        Assert.Null(BrowserFactAttribute.SkipReason(null, isCi: true));
    }

    [Fact]
    public void TheReasonNamesWhatIsMissingAndHowToInstallIt()
    {
        var present = typeof(BrowserFactAttributeTests).Assembly.Location;
        var reason = BrowserEnvironment.MissingReasonFor(present, "/nonexistent/chromedriver");
        Assert.NotNull(reason);
        Assert.Contains("/nonexistent/chromedriver", reason, StringComparison.Ordinal);
        Assert.DoesNotContain(present, reason, StringComparison.Ordinal);
        Assert.Contains("apt-get install chromium chromium-driver", reason, StringComparison.Ordinal);
        Assert.Null(BrowserEnvironment.MissingReasonFor(present));
    }
}
