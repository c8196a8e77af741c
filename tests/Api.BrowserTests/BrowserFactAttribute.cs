namespace BackpropService.Api.BrowserTests;

/// <summary>
/// A fact that needs headless Chromium: skipped with the reason where the browser is not installed, except under
/// CI=true, where the test runs and fails with that reason (CI is expected to have installed the browser).
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (BrowserEnvironment.MissingReason is { } reason && !BrowserEnvironment.IsCi)
            Skip = reason;
    }
}
