using System.Globalization;
using Xunit.Abstractions;

namespace BackpropService.Api.BrowserTests;

/// <summary>
/// The README's picture, taken again: <c>BACKPROP_UPDATE_SCREENSHOT=1 dotnet test tests/Api.BrowserTests --filter
/// ScreenshotTests</c> trains two XOR runs (a constant rate and a cosine schedule with warm-up) and a small sweep,
/// sets up every panel, and writes docs/screenshot.png. Without the variable (every other run, CI's too) the same
/// page is set up and captured (every panel reached, a PNG written), but the committed file is left alone.
/// </summary>
[Collection(PageCollection.Name)]
public sealed class ScreenshotTests(PageServer server, ITestOutputHelper output)
{
    private static readonly string[] Ended = ["succeeded", "failed", "cancelled"];

    /// <summary>Above this the README's picture is too heavy for a repository file (and a page load on GitHub).</summary>
    private const int MaxBytes = 500_000;

    /// <summary>Set to 1 to write the capture over docs/screenshot.png.</summary>
    private const string UpdateVariable = "BACKPROP_UPDATE_SCREENSHOT";

    /// <summary>The page is laid out this many CSS pixels wide (a laptop's window) ...</summary>
    private const int Width = 1440;

    /// <summary>... and drawn at this many pixels per CSS pixel: GitHub shows the picture narrower than that anyway.</summary>
    private const double Scale = 0.75;

    [BrowserFact]
    public void TheReadmeScreenshotShowsEveryPanelAfterTwoRunsAndASweep()
    {
        using var browser = new Browser(server.BaseAddress, output);
        browser.Open();

        // A 6-trial sweep over XOR's rate and seed, its leaderboard filled; its curves left off the loss chart, which
        // then shows the two runs below and their learning rates.
        browser.SetValue("textarea[name=sweepSettings]", """{ "epochs": 2000, "learningRate": 2, "optimizer": "sgd" }""");
        browser.SetValue(".vary-row:nth-child(1) input[name=varyValues]", "0.5, 1, 2");
        browser.SetValue(".vary-row:nth-child(2) input[name=varyValues]", "1, 2");
        browser.Click("#sweep-button");
        browser.Until(() => browser.Attribute("#sweep-card", "data-status") == "succeeded" ? true : (bool?)null, PageSteps.TrainingTimeout, "the sweep to succeed");
        browser.Click("#sweep-overlay");

        // Two XOR runs, compared: the preset's constant rate, then a cosine schedule with warm-up (selected).
        var constant = browser.StartPreset("xor", 2_000);
        Assert.Equal("succeeded", browser.WaitForStatus(constant, Ended));
        browser.Click("#train-form .more-settings summary");
        browser.SetValue("#train-form [name=scheduleType]", "cosine");
        browser.SetValue("#train-form [name=scheduleMinLearningRate]", "0.2");
        browser.SetValue("#train-form [name=scheduleWarmupEpochs]", "300");
        var cosine = browser.StartPreset("xor", 3_000);
        Assert.Equal("succeeded", browser.WaitForStatus(cosine, Ended));
        browser.Click("#train-form .more-settings summary");
        browser.Click($"#job-list [data-job-id='{constant}'] .compare input");
        browser.Until(() => browser.Attribute("#loss-chart", "data-series") == "2" && browser.Attribute("#loss-chart", "data-rate-series") == "2" ? true : (bool?)null,
                      TimeSpan.FromSeconds(10), "both runs and their learning rates on the chart");

        // The unrolled graph of row 3 with θ1's first weight clicked: its path sum beside the engine's gradient.
        if (!browser.Find("#graph-card [name=graphUnroll]").Selected)
            browser.Click("#graph-card [name=graphUnroll]");
        browser.SetValue("input[name=graphRow]", "3");
        browser.Until(() => browser.FindOrNull("#graph-card [data-node-id='x[0,0]'] .node-value") is { } x && x.Text == "v 1" ? true : (bool?)null,
                      TimeSpan.FromSeconds(20), "the XOR graph of row 3");
        browser.Click("#graph-card [data-node-id='layers.0.weights[0,0]']");
        browser.Until(() => browser.Attribute("#path-sum", "data-match") == "true" ? true : (bool?)null, TimeSpan.FromSeconds(10), "the path sum");
        browser.Until(() => browser.Attribute("#boundary-card", "data-state") == "drawn" ? true : (bool?)null, TimeSpan.FromSeconds(15), "the decision boundary");
        // Why this output: row 1's attributions.
        browser.Until(() => browser.Find("input[name=explainRow]").Enabled ? true : (bool?)null, TimeSpan.FromSeconds(10), "the dataset row field");
        browser.SetValue("input[name=explainRow]", "1");
        browser.Until(() => browser.Attribute("#explain-card", "data-state") == "shown" ? true : (bool?)null, TimeSpan.FromSeconds(15), "the attributions");
        // The chain-rule panel on a function where two paths meet: d(x·sin x)/dx = sin x + x·cos x.
        browser.SetValue("#chain-card select[name=function]", "x·sin(x) (two paths)");
        browser.Until(() => browser.FindOrNull("#chain-card [data-role=chain-paths]") is { Displayed: true } p && p.GetDomAttribute("data-path-count") == "2" ? true : (bool?)null,
                      TimeSpan.FromSeconds(10), "the chain-rule panel with two paths");
        // The form left on a preset with a wider network, for the builder's drawing.
        browser.SetValue("select[name=preset]", "circles");
        browser.Until(() => browser.FindOrNull("#train-form [data-field=units]") is { } u && u.GetDomProperty("value") == "8" ? true : (bool?)null,
                      TimeSpan.FromSeconds(10), "the builder to show the circles network");
        // Clicks scrolled what they clicked into view: back to the top of the page and of the job list (the selected run).
        browser.Script<object>("window.scrollTo(0, 0); document.querySelector('#job-list').scrollTop = 0; document.activeElement?.blur()");

        var path = browser.SaveScaledPage("readme", Width, Scale);
        var bytes = File.ReadAllBytes(path);
        output.WriteLine($"{bytes.Length.ToString("N0", CultureInfo.InvariantCulture)} bytes");
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, bytes[..4]);
        // The size depends on what the runs drew (their curves, the sweep's values), so it is a rule for the committed
        // file only: checked when the picture is written, not on every run.
        if (Environment.GetEnvironmentVariable(UpdateVariable) != "1") return;
        Assert.True(bytes.Length < MaxBytes, $"the screenshot is {bytes.Length:N0} bytes; keep the README's under {MaxBytes:N0}");
        File.Copy(path, Path.Combine(RepositoryRoot(), "docs", "screenshot.png"), overwrite: true);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BackpropService.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"No BackpropService.sln above {AppContext.BaseDirectory}: run from the repository.");
    }
}
