using System.Globalization;
using Xunit.Abstractions;

namespace BackpropService.Api.BrowserTests;

/// <summary>The gradient-flow card: shown for a job that records gradient norms (one line per layer's weights), hidden for one that does not.</summary>
[Collection(PageCollection.Name)]
public sealed class GradientFlowTests(PageServer server, ITestOutputHelper output)
{
    [BrowserFact]
    public async Task TheVanishingGradientPresetDrawsOneLinePerLayerAndAJobWithoutNormsHidesTheCard()
    {
        using var browser = new Browser(server.BaseAddress, output);
        browser.Open();
        const int epochs = 200;
        var jobId = browser.StartPreset("deepSigmoid", epochs);
        browser.WaitForStatus(jobId, "succeeded");

        var layers = Enumerable.Range(0, 9).Select(i => $"layers.{i}.weights").ToArray();
        browser.Until(() => browser.Attribute("#gradflow-chart", "data-point-count") == epochs.ToString(CultureInfo.InvariantCulture) ? true : (bool?)null,
                      TimeSpan.FromSeconds(20), $"the gradient-flow chart to hold {epochs} epochs");
        Assert.Null(browser.Attribute("#gradflow-card", "hidden"));
        Assert.Equal(string.Join(",", layers), browser.Attribute("#gradflow-chart", "data-lines"));
        Assert.Contains("layer 0", browser.Find("#gradflow-card [data-role=gradflow-note]").Text, StringComparison.Ordinal);

        // What the chart shows is the vanishing gradient the preset is about: the first layer's norm far below the last's.
        var last = (await server.Api.GetJsonAsync($"/api/jobs/{jobId}/history?after={epochs - 1}"))["points"]![0]!["gradientNorms"]!;
        Assert.True(last["layers.0.weights"]!.GetValue<double>() < last["layers.8.weights"]!.GetValue<double>() / 100);

        var plain = browser.StartPreset("xor", 50);
        browser.WaitForStatus(plain, "succeeded");
        browser.Until(() => browser.Attribute("#gradflow-card", "hidden") is not null ? true : (bool?)null,
                      TimeSpan.FromSeconds(10), "the gradient-flow card to hide for a job without norms");
    }
}
