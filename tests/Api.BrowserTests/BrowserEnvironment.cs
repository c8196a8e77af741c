namespace BackpropService.Api.BrowserTests;

/// <summary>Where the browser and its driver live, and whether a missing browser skips (locally) or fails (CI).</summary>
public static class BrowserEnvironment
{
    public static string ChromiumPath { get; } = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";

    public static string DriverPath { get; } = Environment.GetEnvironmentVariable("CHROMEDRIVER_PATH") ?? "/usr/bin/chromedriver";

    /// <summary>CI installs chromium with apt-get, so there a missing browser is a failure, not a skip.</summary>
    public static bool IsCi { get; } = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why the browser tests cannot run here, or null when they can.</summary>
    public static string? MissingReason { get; } = MissingReasonFor(ChromiumPath, DriverPath);

    /// <summary>Why the given executables do not make a browser setup, or null when all exist.</summary>
    public static string? MissingReasonFor(params string[] paths)
    {
        var missing = paths.Where(p => !File.Exists(p)).ToArray();
        return missing.Length == 0
            ? null
            : $"Browser tests need Chromium and its driver; missing: {string.Join(", ", missing)}. " +
              "Install them with `apt-get install chromium chromium-driver` (or set CHROMIUM_PATH / CHROMEDRIVER_PATH).";
    }
}
