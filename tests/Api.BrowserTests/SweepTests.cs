using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace BackpropService.Api.BrowserTests;

/// <summary>
/// A sweep from the page: the form's trial count, the leaderboard filling in live from the hub, sorting it, opening a
/// trial's job from a row, the server's 400 next to the form, cancelling a sweep, and reopening one from the list.
/// </summary>
[Collection(PageCollection.Name)]
public sealed class SweepTests(PageServer server, ITestOutputHelper output)
{
    private static readonly string[] Ended = ["succeeded", "failed", "cancelled"];

    [BrowserFact]
    public async Task GridSweepFromTheFormFillsTheLeaderboardLiveAndOpensATrial()
    {
        using var browser = new Browser(server.BaseAddress, output);
        browser.Open();
        // The form starts on the XOR preset with learningRate × seed = 2 × 2; the count follows every edit.
        browser.SetValue("textarea[name=sweepSettings]", """{ "epochs": 300, "learningRate": 2, "optimizer": "sgd" }""");
        Assert.Equal("4", TrialCount(browser));
        SetRowValues(browser, 1, "1, 2, 3");
        Assert.Equal("6", TrialCount(browser));
        SetRowValues(browser, 1, "1, 2");
        Assert.Equal("4", TrialCount(browser));

        var sweepId = Submit(browser);
        try
        {
            // Every trial ends, and the page sees each end without a reload.
            browser.Until(() => Rows(browser) is { Count: 4 } r && r.All(x => x.Status == "succeeded") && SweepStatus(browser) == "succeeded" ? true : (bool?)null,
                          PageSteps.TrainingTimeout, "all 4 trials to succeed in the leaderboard");

            var sweep = await server.Api.GetJsonAsync($"/api/sweeps/{sweepId}");
            Assert.Equal("xor: learningRate × seed", sweep["name"]!.GetValue<string>()); // named after its base and fields when left blank
            Assert.Equal(4, sweep["trials"]!["total"]!.GetValue<int>());
            Assert.Equal(4, sweep["trials"]!["succeeded"]!.GetValue<int>());
            // Unsorted, the table is the service's leaderboard, best first; the best row is marked.
            // (A trial's end reaches a row at once; its place follows from the leaderboard the page then reads again.)
            var board = (await server.Api.GetJsonAsync($"/api/sweeps/{sweepId}/trials"))["items"]!.AsArray();
            var order = board.Select(t => t!["jobId"]!.GetValue<string>()).ToList();
            var rows = browser.Until(() => Rows(browser) is var r && r.Select(x => x.JobId).SequenceEqual(order) ? r : null,
                                     TimeSpan.FromSeconds(15), $"the table in the service's order: {string.Join(", ", order)}");
            var bestId = sweep["best"]!["jobId"]!.GetValue<string>();
            Assert.Contains("best", browser.Attribute($"#leaderboard tr[data-job-id='{bestId}']", "class") ?? "", StringComparison.Ordinal);
            var pairs = board.Select(t => (t!["params"]!["learningRate"]!.GetValue<double>(), t["params"]!["seed"]!.GetValue<double>())).Order();
            Assert.Equal([(0.5, 1.0), (0.5, 2.0), (2.0, 1.0), (2.0, 2.0)], pairs);

            // The trials' curves are drawn on the loss chart, each with all its epochs.
            browser.Until(() => browser.Attribute("#loss-chart", "data-series") is { } n && int.Parse(n, CultureInfo.InvariantCulture) >= 4 ? true : (bool?)null,
                          TimeSpan.FromSeconds(20), "the 4 trials' curves on the loss chart");
            browser.Until(() => rows.All(r => browser.Script<long>("return window.backprop.live.tracks.get(arguments[0])?.costs.length ?? 0", r.JobId) == 300) ? true : (bool?)null,
                          TimeSpan.FromSeconds(20), "every trial's 300 epochs in the page");

            // Headers sort, by mouse and by keyboard; aria-sort says how.
            browser.Click("#leaderboard button[data-sort='param:seed']");
            Assert.Equal("ascending", browser.Attribute("#leaderboard th[data-key='param:seed']", "aria-sort"));
            var seeds = Column(browser, "param:seed");
            Assert.Equal(seeds.Order(StringComparer.Ordinal), seeds);
            browser.Find("#leaderboard button[data-sort='param:seed']").SendKeys(Keys.Enter);
            Assert.Equal("descending", browser.Attribute("#leaderboard th[data-key='param:seed']", "aria-sort"));
            Assert.Equal(seeds.Order(StringComparer.Ordinal).Reverse(), Column(browser, "param:seed"));

            // A row opens its trial's job on the chart and in the job list.
            var last = Rows(browser)[^1].JobId;
            browser.Click($"#leaderboard tr[data-job-id='{last}'] td[data-key=value]");
            browser.Until(() => browser.Attribute("#loss-chart", "data-job-id") == last ? true : (bool?)null, TimeSpan.FromSeconds(15), "the clicked trial to be selected");
            browser.WaitForStatus(last, "succeeded");
            Assert.Equal(await server.Api.HistoryCostsAsync(last), browser.PageCosts(last));

            // With a job selected, the form takes it as the base: its network and data, its settings to edit.
            browser.SetValue("select[name=sweepBase]", "selected");
            Assert.Contains($"#{last.Replace("-", "", StringComparison.Ordinal)[^6..]}", browser.Find("#sweep-form [data-role=base-note]").Text, StringComparison.Ordinal);
            var settings = JsonNode.Parse((string)browser.Find("textarea[name=sweepSettings]").GetDomProperty("value")!)!;
            Assert.Equal(300, settings["epochs"]!.GetValue<int>());
            Assert.Equal("4", TrialCount(browser));
        }
        finally
        {
            await CancelSweepAsync(sweepId);
        }
    }

    [BrowserFact]
    public async Task BadValuesShowTheServersProblemAndASweepCanBeCancelledAndAnotherReopened()
    {
        var earlier = await server.Api.PostAsync("/api/sweeps", """
            { "name": "reopen me",
              "base": { "network": { "name": "xor", "inputs": 2, "layers": [ { "units": 2, "activation": "sigmoid" }, { "units": 1, "activation": "sigmoid" } ], "loss": "binary_cross_entropy" },
                        "dataset": { "name": "xor", "features": [[0, 0], [0, 1], [1, 0], [1, 1]], "targets": [[0], [1], [1], [0]] },
                        "epochs": 50, "learningRate": 2 },
              "grid": { "seed": [1, 2] } }
            """, HttpStatusCode.Accepted);
        using var browser = new Browser(server.BaseAddress, output);
        browser.Open();
        var sweepsBefore = (await server.Api.GetJsonAsync("/api/sweeps"))["items"]!.AsArray().Count;

        // A log-uniform range from 0 passes the page's own checks; the service's 400 is shown and marks the row.
        browser.SetValue(".vary-row:nth-child(1) select[name=varyMode]", "logUniform");
        SetRowValues(browser, 0, "0, 1");
        browser.SetValue("input[name=randomCount]", "3");
        Assert.Equal("6", TrialCount(browser));
        browser.Click("#sweep-button");
        var shown = browser.Until(() => browser.Find("[data-error-for=sweep]") is { Displayed: true } e && e.Text.Length > 0 ? e.Text : null,
                                  TimeSpan.FromSeconds(15), "the service's problem under the sweep form");
        Assert.Contains("random.space.learningRate.logUniform", shown, StringComparison.Ordinal);
        Assert.Contains("invalid", browser.Attribute(".vary-row:nth-child(1) input[name=varyValues]", "class") ?? "", StringComparison.Ordinal);
        Assert.Equal(sweepsBefore, (await server.Api.GetJsonAsync("/api/sweeps"))["items"]!.AsArray().Count);

        // A sweep long enough to cancel: one trial at a time, each far longer than the test; 2 seeds × 2 drawn rates.
        SetRowValues(browser, 0, "0.1, 1");
        browser.SetValue("input[name=randomCount]", "2");
        browser.SetValue("textarea[name=sweepSettings]", """{ "epochs": 10000000 }""");
        browser.SetValue("input[name=maxConcurrent]", "1");
        Assert.Equal("4", TrialCount(browser));
        var sweepId = Submit(browser);
        try
        {
            Assert.Null(browser.FindOrNull("[data-error-for=sweep]:not([hidden])"));
            browser.Until(() => Rows(browser) is { Count: 4 } r && r.Count(x => x.Status == "running") == 1 && r.Count(x => x.Status == "queued") == 3 ? true : (bool?)null,
                          PageSteps.TrainingTimeout, "one trial running and three queued (maxConcurrent 1)");
            browser.Click("#sweep-cancel");
            browser.Until(() => SweepStatus(browser) == "cancelled" && Rows(browser) is { Count: 4 } r && r.All(x => x.Status == "cancelled") ? true : (bool?)null,
                          PageSteps.TrainingTimeout, "the sweep and its 4 trials to show cancelled");
            var cancelled = await server.Api.GetJsonAsync($"/api/sweeps/{sweepId}");
            Assert.Equal("cancelled", cancelled["status"]!.GetValue<string>());
            Assert.Equal(4, cancelled["trials"]!["total"]!.GetValue<int>()); // as the form counted: grid × draws
            Assert.Equal(4, cancelled["trials"]!["cancelled"]!.GetValue<int>());
            Assert.False(browser.Find("#sweep-cancel").Displayed, "an ended sweep offers no cancel");

            // The list holds both sweeps; the earlier one reopens with its own trials.
            browser.Until(() => browser.FindOrNull($"#sweep-list button[data-sweep-id='{sweepId}']") is not null ? true : (bool?)null,
                          TimeSpan.FromSeconds(15), "the new sweep in the list");
            browser.Click($"#sweep-list button[data-sweep-id='{earlier}']");
            browser.Until(() => browser.Attribute("#sweep-card", "data-sweep-id") == earlier && Rows(browser) is { Count: 2 } r && r.All(x => Ended.Contains(x.Status)) ? true : (bool?)null,
                          PageSteps.TrainingTimeout, "the earlier sweep's 2 ended trials");
            Assert.StartsWith("reopen me", browser.Find("#sweep-title").Text, StringComparison.Ordinal);
        }
        finally
        {
            await CancelSweepAsync(sweepId);
        }
    }

    private static string TrialCount(Browser browser) => browser.Attribute("#sweep-trial-count", "data-count") ?? "";

    private static void SetRowValues(Browser browser, int row, string values) =>
        browser.SetValue($".vary-row:nth-child({row + 1}) input[name=varyValues]", values);

    private static string SweepStatus(Browser browser) => browser.Attribute("#sweep-card", "data-status") ?? "";

    /// <summary>Presses Start sweep and returns the id of the sweep the page then opens.</summary>
    private static string Submit(Browser browser)
    {
        var before = browser.Attribute("#sweep-card", "data-sweep-id") ?? "";
        browser.Click("#sweep-button");
        return browser.Until(() => browser.Attribute("#sweep-card", "data-sweep-id") is { Length: > 0 } id && id != before ? id : null,
                             TimeSpan.FromSeconds(20), "the new sweep to open");
    }

    private sealed record Row(string JobId, string Status);

    /// <summary>The leaderboard's rows as shown, top to bottom.</summary>
    private static List<Row> Rows(Browser browser) =>
        browser.Script<IReadOnlyCollection<object>>(
                "return [...document.querySelectorAll('#leaderboard tbody tr')].map(tr => [tr.dataset.jobId, tr.dataset.status])")!
            .Cast<IReadOnlyCollection<object>>().Select(r => new Row((string)r.First(), (string)r.Last())).ToList();

    private static string[] Column(Browser browser, string key) =>
        browser.Script<IReadOnlyCollection<object>>(
                "return [...document.querySelectorAll(`#leaderboard tbody td[data-key='${arguments[0]}']`)].map(td => td.textContent)", key)!
            .Cast<string>().ToArray();

    private async Task CancelSweepAsync(string sweepId)
    {
        using var response = await server.Api.PostAsync($"/api/sweeps/{sweepId}/cancel", content: null);
        Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.Conflict, $"cancel: {(int)response.StatusCode}");
    }
}
