using System.Globalization;
using OpenQA.Selenium;

namespace BackpropService.Api.BrowserTests;

/// <summary>What a user does on the page, and what the API says about the same job, for the tests to compare.</summary>
public static class PageSteps
{
    public static readonly TimeSpan TrainingTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Picks a preset, optionally overrides the epochs and seed, presses Train and returns the new job's id.</summary>
    public static string StartPreset(this Browser browser, string preset, int? epochs = null, string? seed = null)
    {
        var before = browser.Attribute("#loss-chart", "data-job-id") ?? "";
        browser.SetValue("select[name=preset]", preset);
        // The preset loads its dataset asynchronously (Iris reads a CSV): wait until the form shows the preset's data.
        browser.Until(() => browser.Find("textarea[name=dataset]").GetDomProperty("value") is { Length: > 0 } ? true : (bool?)null,
                      TimeSpan.FromSeconds(10), $"the {preset} preset to fill the form");
        if (epochs is { } e)
            browser.SetValue("input[name=epochs]", e.ToString(CultureInfo.InvariantCulture));
        if (seed is not null)
            browser.SetValue("input[name=seed]", seed);
        browser.Find("#train-button").Click();
        return browser.Until(() => browser.Attribute("#loss-chart", "data-job-id") is { Length: > 0 } id && id != before ? id : null,
                             TimeSpan.FromSeconds(20), "the new job to be selected on the chart");
    }

    public static string JobStatus(this Browser browser, string jobId) =>
        browser.Attribute($"#job-list [data-job-id='{jobId}']", "data-status") ?? "";

    public static string WaitForStatus(this Browser browser, string jobId, params string[] statuses) =>
        browser.Until(() => browser.JobStatus(jobId) is var s && statuses.Contains(s) ? s : null, TrainingTimeout,
                      $"job {jobId} to reach {string.Join(" or ", statuses)} in the job list");

    public static int PointCount(this Browser browser) =>
        int.Parse(browser.Attribute("#loss-chart", "data-point-count") ?? "0", CultureInfo.InvariantCulture);

    /// <summary>The costs the page holds for a job, epoch 1 first.</summary>
    public static double[] PageCosts(this Browser browser, string jobId) =>
        browser.Script<IReadOnlyCollection<object>>("return window.backprop.live.tracks.get(arguments[0]).costs.slice()", jobId)!
               .Select(x => Convert.ToDouble(x, CultureInfo.InvariantCulture)).ToArray();

    public static void Click(this Browser browser, string css) => browser.Find(css).Click();

    /// <summary>The validation costs the page holds for a job (null where an epoch has none), epoch 1 first.</summary>
    public static double?[] PageValidationCosts(this Browser browser, string jobId) =>
        browser.Script<IReadOnlyCollection<object?>>("return window.backprop.live.tracks.get(arguments[0]).vals.slice()", jobId)!
               .Select(x => x is null ? (double?)null : Convert.ToDouble(x, CultureInfo.InvariantCulture)).ToArray();

    /// <summary>The protocol the page's hub connection speaks ("messagepack", or "json" without its script).</summary>
    public static string HubProtocol(this Browser browser) => browser.Attribute("#connection", "data-protocol") ?? "";

    /// <summary>The costs of a job, epoch 1 first, paging through /history (up to <paramref name="upTo"/> epochs).</summary>
    public static async Task<double[]> HistoryCostsAsync(this HttpClient api, string jobId, int upTo = int.MaxValue) =>
        (await api.HistoryAsync(jobId, upTo)).Select(p => p.Cost).ToArray();

    /// <summary>The history of a job with its validation costs, epoch 1 first, paging through /history (up to <paramref name="upTo"/> epochs).</summary>
    public static async Task<(double Cost, double? ValidationCost)[]> HistoryAsync(this HttpClient api, string jobId, int upTo = int.MaxValue)
    {
        var history = new List<(double, double?)>();
        while (history.Count < upTo)
        {
            var page = await api.GetJsonAsync($"/api/jobs/{jobId}/history?after={history.Count}&limit={Math.Min(20_000, upTo - history.Count)}");
            var points = page["points"]!.AsArray();
            if (points.Count == 0)
                break;
            foreach (var p in points)
            {
                Assert.Equal(history.Count + 1, p!["epoch"]!.GetValue<int>());
                history.Add((p["cost"]!.GetValue<double>(), p["validationCost"]?.GetValue<double>()));
            }
        }
        return history.ToArray();
    }

    public static IWebElement? FindOrNull(this Browser browser, string css) =>
        browser.Driver.FindElements(By.CssSelector(css)).FirstOrDefault();
}
