using Xunit.Abstractions;

namespace BackpropService.Api.BrowserTests;

/// <summary>Training from the page: the live loss chart, the job list, and a reload in the middle of a job.</summary>
[Collection(PageCollection.Name)]
public sealed class TrainingTests(PageServer server, ITestOutputHelper output)
{
    [BrowserFact]
    public async Task XorPresetTrainsWithAGrowingChartUntilSucceeded()
    {
        using var browser = new Browser(server.BaseAddress, output);
        browser.Open();
        Assert.Equal("messagepack", browser.HubProtocol()); // the chart below is fed by the binary stream

        // Long enough for the chart to be seen growing: since the stream keeps pace with training, 100,000 XOR epochs
        // could finish between two looks at the chart (~0.3 s in a Debug build).
        const int epochs = 400_000;
        var jobId = browser.StartPreset("xor", epochs);

        // Watch the chart while the job runs: its point count must be seen at several increasing values.
        var seen = new SortedSet<int>();
        browser.Until(() =>
        {
            seen.Add(browser.PointCount());
            return browser.JobStatus(jobId) is "succeeded" or "failed" or "cancelled" ? true : (bool?)null;
        }, PageSteps.TrainingTimeout, "the XOR job to finish");
        Assert.Equal("succeeded", browser.JobStatus(jobId));

        var final = browser.Until(() => browser.PointCount() == epochs ? epochs : (int?)null, TimeSpan.FromSeconds(10),
                                  $"the chart to hold all {epochs} epochs");
        seen.Remove(0);
        output.WriteLine($"chart point counts seen while the job ran: {string.Join(", ", seen)}");
        Assert.True(seen.Count(c => c < final) >= 2, $"the chart jumped straight to the end; point counts seen: {string.Join(", ", seen)}");

        // The chart shows exactly the service's history, epoch by epoch.
        Assert.Equal(await server.Api.HistoryCostsAsync(jobId), browser.PageCosts(jobId));
        var job = await server.Api.GetJsonAsync($"/api/jobs/{jobId}");
        Assert.Equal(epochs, JobClient.EpochsCompleted(job));
        Assert.Contains(epochs.ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("en-US")),
                        browser.Find($"#job-list [data-job-id='{jobId}'] .epochs").Text, StringComparison.Ordinal);
    }

    [BrowserFact]
    public async Task ReloadingMidTrainingShowsTheWholeCurve()
    {
        using var browser = new Browser(server.BaseAddress, output);
        browser.Open();
        // Two spirals trains a few hundred epochs a second here: long enough to reload in the middle, small enough to compare.
        var jobId = browser.StartPreset("spirals", 200_000);
        try
        {
            var before = browser.Until(() => browser.PointCount() is var n && n >= 200 ? n : (int?)null,
                                       PageSteps.TrainingTimeout, "a few hundred epochs on the chart");
            Assert.Equal("running", browser.JobStatus(jobId));

            browser.Driver.Navigate().Refresh();
            browser.WaitForReady();
            Assert.Equal(jobId, browser.Attribute("#loss-chart", "data-job-id"));
            // After the reload the curve starts again at epoch 1 (from /history) and keeps growing (from the hub).
            var after = browser.Until(() => browser.PointCount() is var n && n > before + 100 ? n : (int?)null,
                                      PageSteps.TrainingTimeout, $"the reloaded chart to pass {before + 100} points");
            var pageCosts = browser.PageCosts(jobId);
            Assert.True(pageCosts.Length >= after);
            var history = await server.Api.HistoryCostsAsync(jobId, upTo: pageCosts.Length);
            Assert.True(history.Length == pageCosts.Length, "the page shows epochs the service has not recorded");
            Assert.Equal(history, pageCosts);

            // The graph panel follows the training: the first layer's weights it shows move on their own.
            const string weights = "#graph-card [data-node-id='layers.0.weights'] .node-value";
            var shown = browser.Until(() => browser.FindOrNull(weights)?.Text is { Length: > 0 } s ? s : null, TimeSpan.FromSeconds(20), "the graph of the running job");
            browser.Until(() => browser.FindOrNull(weights)?.Text is { Length: > 0 } s && s != shown ? s : null, TimeSpan.FromSeconds(20),
                          $"the graph's weights to change from {shown} while the job trains");

            // Cancel from the page; the chart then holds every epoch the job completed.
            browser.Click($"#job-list [data-job-id='{jobId}'] button.cancel");
            browser.WaitForStatus(jobId, "cancelled");
            var completed = JobClient.EpochsCompleted(await server.Api.GetJobAsync(jobId));
            browser.Until(() => browser.PointCount() == completed ? true : (bool?)null, TimeSpan.FromSeconds(10),
                          $"the chart to hold all {completed} completed epochs");
            Assert.Equal(await server.Api.HistoryCostsAsync(jobId), browser.PageCosts(jobId));
        }
        finally
        {
            await server.Api.CancelAsync(jobId);
        }
    }

    [BrowserFact]
    public async Task APresetAsGivenIsSeenTrainingWithItsEpochsPerSecond()
    {
        using var browser = new Browser(server.BaseAddress, output);
        browser.Open();
        var jobId = browser.StartPreset("spirals");
        try
        {
            // While it runs, the summary says how far it is and how fast it trains, and the curve grows in steps.
            var summary = browser.Until(() => browser.Find("#selected-summary").Text is var s
                                              && System.Text.RegularExpressions.Regex.IsMatch(s, @"running · epoch [\d,]+ of 20,000 · [\d,]+ epochs/s") ? s : null,
                                        PageSteps.TrainingTimeout, "the running preset's rate in the chart summary");
            output.WriteLine(summary);
            var first = browser.Until(() => browser.PointCount() is var n && n > 0 ? n : (int?)null, PageSteps.TrainingTimeout, "the first points");
            browser.Until(() => browser.PointCount() > first ? true : (bool?)null, PageSteps.TrainingTimeout, "the curve to grow");
        }
        finally
        {
            await server.Api.CancelAsync(jobId);
        }
    }
}
