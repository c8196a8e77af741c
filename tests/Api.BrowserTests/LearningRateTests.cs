using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BackpropService.Engine;
using Xunit.Abstractions;

namespace BackpropService.Api.BrowserTests;

/// <summary>
/// The loss chart's learning-rate line: js/lrschedule.js gives the engine's rate for every epoch of every schedule,
/// the chart draws it on its own axis for a scheduled job, its checkbox hides it, and compared runs' labels name their schedules.
/// </summary>
[Collection(PageCollection.Name)]
public sealed class LearningRateTests(PageServer server, ITestOutputHelper output)
{
    private const int Epochs = 12;
    private const double Rate = 0.5;

    private static readonly LearningRateSchedule[] Schedules =
    [
        new() { Type = "step", StepSize = 3, Gamma = 0.5 },
        new() { Type = "step", StepSize = 3, Gamma = 0.3, WarmupEpochs = 4 },
        new() { Type = "exponential", Gamma = 0.7 },
        new() { Type = "exponential", Gamma = 0.7, WarmupEpochs = 4 },
        new() { Type = "cosine" },
        new() { Type = "cosine", MinLearningRate = 0.05, WarmupEpochs = 4 },
    ];

    [BrowserFact]
    public async Task ThePageComputesTheEnginesRateForEveryEpochOfEverySchedule()
    {
        // The jobs as the API returns them: the page computes from exactly these objects.
        var jobs = new List<JsonNode>();
        foreach (var schedule in Schedules)
        {
            var id = await server.Api.CreateJobAsync(new
            {
                network = JsonNode.Parse(XorNetwork), dataset = JsonNode.Parse(XorDataset),
                epochs = Epochs, learningRate = Rate, learningRateSchedule = schedule,
            });
            jobs.Add(await server.Api.GetJobAsync(id));
        }

        using var browser = new Browser(server.BaseAddress, output);
        browser.Open();
        var pageRates = browser.Driver.ExecuteAsyncScript("""
            const [jobs, epochs, done] = arguments;
            import('/js/lrschedule.js').then(m => done(JSON.stringify(
              JSON.parse(jobs).map(job => Array.from({ length: epochs }, (_, i) => m.rate(job, i + 1))))));
            """, new JsonArray([.. jobs.Select(j => j.DeepClone())]).ToJsonString(), Epochs) as string;
        var page = JsonSerializer.Deserialize<double[][]>(pageRates!)!;

        for (var s = 0; s < Schedules.Length; s++)
        {
            var settings = new TrainingSettings { Epochs = Epochs, LearningRate = Rate, LearningRateSchedule = Schedules[s] };
            var engine = Enumerable.Range(1, Epochs).Select(e => LearningRates.At(settings, e)).ToArray();
            for (var e = 0; e < Epochs; e++)
            {
                if (engine[e] != page[s][e]) output.WriteLine($"{Describe(Schedules[s])}, epoch {e + 1}: engine {engine[e]:R}, page {page[s][e]:R} (not bit-equal)");
                Assert.True(SameDouble(engine[e], page[s][e]),
                            $"{Describe(Schedules[s])}, epoch {e + 1}: engine {engine[e]:R}, page {page[s][e]:R}");
            }
            // The last epoch's rate is also what the service reports once the job is done.
            var done = await server.Api.WaitForFinishAsync(jobs[s]["id"]!.GetValue<string>());
            Assert.Equal("succeeded", done["status"]!.GetValue<string>());
            Assert.True(SameDouble(done["currentLearningRate"]!.GetValue<double>(), page[s][^1]), $"{Describe(Schedules[s])}: currentLearningRate");
        }
    }

    [BrowserFact]
    public async Task TheChartDrawsACosineJobsRateOnItsOwnAxisAndTheCheckboxHidesIt()
    {
        using var browser = new Browser(server.BaseAddress, output);
        browser.Open();
        Assert.True(browser.Find("#show-rate").Selected, "the learning rate starts shown");
        browser.Click("#train-form .more-settings summary");
        browser.SetValue("#train-form [name=scheduleType]", "cosine");
        browser.SetValue("#train-form [name=scheduleMinLearningRate]", "0.1");
        const int epochs = 300;
        var jobId = browser.StartPreset("xor", epochs);
        Assert.Equal("succeeded", browser.WaitForStatus(jobId, "succeeded", "failed", "cancelled"));
        browser.Until(() => browser.PointCount() == epochs ? true : (bool?)null, TimeSpan.FromSeconds(20), $"all {epochs} epochs on the chart");

        // One dotted rate line, linear (the preset's 2 down to 0.1 spans less than two decades), one value per epoch trained.
        browser.Until(() => browser.Attribute("#loss-chart", "data-rate-series") == "1" ? true : (bool?)null, TimeSpan.FromSeconds(10), "the rate line");
        Assert.Equal("linear", browser.Attribute("#loss-chart", "data-rate-scale"));
        Assert.Contains("learning rate", LegendText(browser), StringComparison.Ordinal);
        var drawn = DrawnRates(browser);
        Assert.Equal(epochs, drawn.Length);
        // The engine's rates for the job as the service stored it (the preset's rate, the form's schedule).
        var job = await server.Api.GetJobAsync(jobId);
        var settings = new TrainingSettings
        {
            Epochs = job["epochs"]!.GetValue<int>(), LearningRate = job["learningRate"]!.GetValue<double>(),
            LearningRateSchedule = job["learningRateSchedule"].Deserialize<LearningRateSchedule>(JsonSerializerOptions.Web),
        };
        Assert.Equal(("cosine", 0.1), (settings.LearningRateSchedule?.Type, settings.LearningRateSchedule?.MinLearningRate));
        for (var e = 1; e <= epochs; e++)
            Assert.True(SameDouble(LearningRates.At(settings, e), drawn[e - 1]), $"epoch {e}: engine {LearningRates.At(settings, e):R}, drawn {drawn[e - 1]:R}");

        browser.Click("#show-rate");
        browser.Until(() => browser.Attribute("#loss-chart", "data-rate-series") == "0" ? true : (bool?)null, TimeSpan.FromSeconds(10), "the rate line to hide");
        Assert.DoesNotContain("learning rate", LegendText(browser), StringComparison.Ordinal);
        Assert.Empty(DrawnRates(browser));
        Assert.Equal(epochs.ToString(CultureInfo.InvariantCulture), browser.Attribute("#loss-chart", "data-drawn-points")); // the cost stays

        browser.Click("#show-rate");
        browser.Until(() => browser.Attribute("#loss-chart", "data-rate-series") == "1" ? true : (bool?)null, TimeSpan.FromSeconds(10), "the rate line back");
    }

    [BrowserFact]
    public void OneConstantRateIsANoteAndASecondRateDrawsBothLines()
    {
        using var browser = new Browser(server.BaseAddress, output);
        browser.Open();
        browser.Script<object>("""
            const track = (id, rate) => ({ id, label: id, color: '#000', costs: [1, 0.5, 0.25], vals: [], hasVal: false, rate: () => rate, constantRate: rate });
            window.backprop.chart.show([track('a', 0.5)]);
            window.lrTrack = track;
            """);
        browser.Until(() => browser.Attribute("#loss-chart", "data-job-id") == "a" ? true : (bool?)null, TimeSpan.FromSeconds(10), "the injected job");
        Assert.Equal("0", browser.Attribute("#loss-chart", "data-rate-series"));
        Assert.Equal("constant 0.5", browser.Find("#rate-note").Text);

        // A second rate on the chart: both are drawn, flat, on a linear axis, and the note goes.
        browser.Script<object>("window.backprop.chart.show([window.lrTrack('a', 0.5), window.lrTrack('b', 0.002)])");
        browser.Until(() => browser.Attribute("#loss-chart", "data-rate-series") == "2" ? true : (bool?)null, TimeSpan.FromSeconds(10), "both rate lines");
        // 0.5 over 0.002 spans more than two decades: the rate axis turns logarithmic.
        Assert.Equal("log", browser.Attribute("#loss-chart", "data-rate-scale"));
        Assert.Equal("", browser.Find("#rate-note").Text);

        // Compared runs that differ in their schedule say so in their labels.
        var labels = browser.Driver.ExecuteAsyncScript("""
            const done = arguments[arguments.length - 1];
            const job = (id, learningRateSchedule) => ({ id, learningRate: 2, epochs: 100, learningRateSchedule });
            import('/js/runlabels.js').then(m => done(m.runLabels([job('1', null), job('2', { type: 'cosine', warmupEpochs: 10 }), job('3', { type: 'step' })], () => 'xor').join(' | ')));
            """);
        Assert.Equal("xor · constant lr | xor · cosine, warm-up 10 | xor · step", labels);
    }

    private const string XorNetwork = """
        { "name": "xor", "inputs": 2, "layers": [ { "units": 2, "activation": "sigmoid" }, { "units": 1, "activation": "sigmoid" } ],
          "loss": "binary_cross_entropy" }
        """;

    private const string XorDataset = """{ "name": "xor", "features": [[0,0],[0,1],[1,0],[1,1]], "targets": [[0],[1],[1],[0]] }""";

    /// <summary>
    /// Equal, or one unit in the last place apart: the page's formula is the engine's, term for term, but JavaScript's
    /// Math.pow and Math.cos (V8's fdlibm) and .NET's (the C library's) may round a result's last bit differently.
    /// </summary>
    private static bool SameDouble(double a, double b) =>
        a == b || Math.Abs(a - b) <= Math.Max(Math.Abs(Math.BitIncrement(a) - a), Math.Abs(Math.BitIncrement(b) - b));

    private static string Describe(LearningRateSchedule s) =>
        $"{s.Type} (stepSize {s.StepSize}, gamma {s.Gamma}, min {s.MinLearningRate}, warm-up {s.WarmupEpochs})";

    private static string LegendText(Browser browser) => browser.FindOrNull("#loss-chart .u-legend")?.Text ?? "";

    /// <summary>The rate line's values as the chart draws them, epoch 1 first; empty when it draws none.</summary>
    private static double[] DrawnRates(Browser browser) =>
        JsonSerializer.Deserialize<double[][]>(browser.Script<string>("""
            const chart = window.backprop.chart, data = chart.data();
            return JSON.stringify(data.filter((_, s) => chart.kinds[s - 1] === 'rate'));
            """)!)!.SingleOrDefault() ?? [];
}
