namespace BackpropService.Api.BrowserTests;

/// <summary>
/// A browser fact that runs only when asked to with <c>BACKPROP_UPDATE_SCREENSHOT=1</c>: it rewrites a committed file
/// (docs/screenshot.png), which neither a plain `dotnet test` nor CI should do. When asked, a missing browser is
/// handled as <see cref="BrowserFactAttribute"/> handles it.
/// </summary>
public sealed class ScreenshotFactAttribute : FactAttribute
{
    public const string Variable = "BACKPROP_UPDATE_SCREENSHOT";

    public ScreenshotFactAttribute() =>
        Skip = SkipReason(Environment.GetEnvironmentVariable(Variable), BrowserEnvironment.MissingReason, BrowserEnvironment.IsCi);

    public static string? SkipReason(string? variable, string? missingReason, bool isCi) =>
        variable == "1"
            ? BrowserFactAttribute.SkipReason(missingReason, isCi)
            : $"Regenerates docs/screenshot.png: run with {Variable}=1 to take it.";
}
