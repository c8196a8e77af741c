namespace BackpropService.Api.BrowserTests;

/// <summary>
/// A fact that needs headless Chromium: skipped with the reason where the browser is not installed, except under
/// CI=true, where the test runs and fails with that reason (CI is expected to have installed the browser).
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (SkipReason(BrowserEnvironment.MissingReason, BrowserEnvironment.IsCi) is { } reason)
            Skip = reason;
    }

    /// <summary>Null (run) when the browser is there, or when CI must report its absence as a failure.</summary>
    public static string? SkipReason(string? missingReason, bool isCi) => isCi ? null : missingReason;
}
