using System.Globalization;
using System.Net;
using Xunit.Abstractions;

namespace BackpropService.Api.BrowserTests;

/// <summary>The chart's x axis by epoch or by wall-clock time, and compared runs labelled by what differs between them.</summary>
[Collection(PageCollection.Name)]
public sealed class ChartAxisTests(PageServer server, ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static double[] X(Browser browser) =>
        browser.Script<IReadOnlyCollection<object>>("return window.backprop.chart.plot.data[0].slice()")!
               .Select(x => Convert.ToDouble(x, CultureInfo.InvariantCulture)).ToArray();

    [BrowserFact]
    public async Task TheTimeAxisRunsFromTheStartToTheJobsDuration()
    {
        using var browser = new Browser(server.BaseAddress, output);
        browser.Open();
        browser.SetValue("#chart-x", "time");
        var jobId = browser.StartPreset("xor", 200_000);
        var job = await server.Api.WaitForFinishAsync(jobId);
        Assert.Equal("succeeded", job["status"]!.GetValue<string>());
        var duration = (job["finishedAt"]!.GetValue<DateTimeOffset>() - job["startedAt"]!.GetValue<DateTimeOffset>()).TotalSeconds;

        // The last epoch sits at the job's duration; every earlier one before it, in order, after the start.
        var x = browser.Until(() => browser.PointCount() == 200_000 && X(browser) is var xs && Math.Abs(xs[^1] - duration) < 1e-3 ? xs : null,
                              Wait, $"the time axis to end at the job's {duration} s");
        Assert.True(x[0] > 0, $"the first epoch at {x[0]} s");
        Assert.All(x.Zip(x.Skip(1)), pair => Assert.True(pair.Second > pair.First, $"{pair.First} then {pair.Second}"));
        Assert.Equal("time", browser.Attribute("#loss-chart", "data-x-axis"));
        Assert.Equal("time since start (s)", browser.Script<string>("return window.backprop.chart.plot.axes[0].label"));

        browser.SetValue("#chart-x", "epoch");
        browser.Until(() => X(browser) is var xs && xs[^1] == 200_000 ? true : (bool?)null, Wait, "the epoch axis back");
    }

    [BrowserFact]
    public async Task ComparedRunsAreLabelledByTheirNameAndWhatDiffers()
    {
        var name = $"cmp-{Guid.NewGuid():N}"[..12];
        async Task<string> Run(double rate, int seed)
        {
            var id = await server.Api.PostAsync("/api/jobs", $$"""
                { "network": { "name": "{{name}}", "inputs": 2, "layers": [ { "units": 2, "activation": "sigmoid" }, { "units": 1, "activation": "sigmoid" } ], "loss": "binary_cross_entropy" },
                  "dataset": { "name": "xor", "features": [[0,0],[0,1],[1,0],[1,1]], "targets": [[0],[1],[1],[0]] },
                  "epochs": 30, "learningRate": {{rate.ToString(CultureInfo.InvariantCulture)}}, "optimizer": "sgd", "seed": {{seed}} }
                """, HttpStatusCode.Accepted);
            await server.Api.WaitForFinishAsync(id);
            return id;
        }
        var first = await Run(0.5, 3);
        var second = await Run(0.1, 4);

        using var browser = new Browser(server.BaseAddress, output);
        browser.Open();
        browser.Click($"#job-list [data-job-id='{second}']");
        browser.Until(() => browser.Attribute("#loss-chart", "data-job-id") == second ? true : (bool?)null, Wait, "the second run selected");
        browser.Click($"#job-list [data-job-id='{first}'] .compare input");
        var labels = browser.Until(() => browser.Script<IReadOnlyCollection<object>>("return window.backprop.chart.tracks.map(t => t.label)") is { Count: 2 } l
                                         ? l.Select(o => (string)o).ToArray() : null, Wait, "both runs on the chart");
        Assert.Equal([$"{name} · lr 0.1 · seed 4", $"{name} · lr 0.5 · seed 3"], labels);
    }
}
