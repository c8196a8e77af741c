using Xunit.Abstractions;

namespace BackpropService.Api.BrowserTests;

/// <summary>The loss chart draws every epoch, and its numbers are written one way.</summary>
[Collection(PageCollection.Name)]
public sealed class ChartTests(PageServer server, ITestOutputHelper output)
{
    [BrowserFact]
    public void TheLogScaleDrawsEpochsWhoseCostIsExactlyZero()
    {
        using var browser = new Browser(server.BaseAddress, output);
        browser.Open();
        Assert.True(browser.Find("#log-scale").Selected);
        // Two spirals reaches cost 0 for most epochs: a log axis has no 0, and the line used to stop at the first one.
        browser.Script<object>("""
            window.backprop.chart.show([{ id: 'zeros', label: 'zeros', color: '#000', costs: [0.5, 0.01, 0, 0, 0.002, 0], vals: [], hasVal: false }]);
            """);
        Assert.Equal("6", browser.Until(() => browser.Attribute("#loss-chart", "data-job-id") == "zeros" ? browser.Attribute("#loss-chart", "data-drawn-points") : null,
                                        TimeSpan.FromSeconds(10), "the chart to draw the injected series"));
    }

    [BrowserFact]
    public void NumbersUseOneMinusSignAndAxisTicksOneFormat()
    {
        using var browser = new Browser(server.BaseAddress, output);
        browser.Open();
        var shown = browser.Driver.ExecuteAsyncScript("""
            const done = arguments[arguments.length - 1];
            import('/js/format.js').then(f => done({
              value: f.fmt(-3.64348e-7, 6),
              linear: f.ticks([0, 0.0005, 0.001, 0.0015], false).join(' '),
              small: f.ticks([0.0001, 0.001, 0.01], false).join(' '),
              log: f.ticks([0.0001, 0.001, 0.01, 1], true).join(' '),
            }));
            """) as IDictionary<string, object>;
        Assert.NotNull(shown);
        Assert.Equal("−3.64348e−7", shown["value"]);
        Assert.Equal("10⁻⁴ 10⁻³ 10⁻² 10⁰", shown["log"]);
        // Any label needing an exponent puts every label in exponents (never "0.001" beside "1.0e−4").
        Assert.Equal("5.0e−4 1.0e−3 1.5e−3", string.Join(' ', ((string)shown["linear"]).Split(' ').Skip(1)));
        Assert.Equal("1.0e−4 1.0e−3 1.0e−2", shown["small"]);
        Assert.DoesNotContain(shown.Values.Cast<string>(), s => s.Contains('-', StringComparison.Ordinal));
    }


    [BrowserFact]
    public void AccuracyIsDrawnWhenPresentSmoothingIsAnEmaAndTheHistoryDownloadsAsCsv()
    {
        using var browser = new Browser(server.BaseAddress, output);
        browser.Open();
        browser.Script<object>("""
            window.backprop.chart.show([{ id: 'acc', label: 'acc', color: '#000', costs: [1, 0, 1, 0], vals: [null, null, null, null], hasVal: false,
                                          accs: [0.5, 0.75, 1, 1], valAccs: [null, null, null, null] }]);
            """);
        browser.SetValue("#chart-metric", "accuracy");
        browser.Until(() => browser.Attribute("#loss-chart", "data-job-id") == "acc" ? true : (bool?)null, TimeSpan.FromSeconds(10), "the injected series");
        Assert.Equal("[0.5,0.75,1,1]", Drawn(browser));

        browser.SetValue("#chart-metric", "cost");
        browser.Find("#log-scale").Click();
        browser.SetValue("#smoothing", "0.5");
        Assert.Equal("[1,0.5,0.75,0.375]", Drawn(browser));

        var csv = browser.Driver.ExecuteAsyncScript("""
            const done = arguments[arguments.length - 1];
            import('/js/historycsv.js').then(m => done(m.historyCsv({ costs: [0.5, 0.25], vals: [null, 0.3], accs: [0.5, 1], valAccs: [null, null] })));
            """);
        Assert.Equal("epoch,cost,validationCost,accuracy,validationAccuracy\n1,0.5,,0.5,\n2,0.25,0.3,1,\n", csv);
    }

    private static string Drawn(Browser browser) => browser.Script<string>("return JSON.stringify(window.backprop.chart.data()[1])")!;
}
