using System.Globalization;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace BackpropService.Api.BrowserTests;

/// <summary>The computational graph of a job: the chain rule as a sum over paths, checked against the engine.</summary>
[Collection(PageCollection.Name)]
public sealed class GraphTests(PageServer server, ITestOutputHelper output)
{
    private const string FirstWeight = "layers.0.weights[0,0]";

    [BrowserFact]
    public async Task ClickingTheFirstWeightShowsPathProductsThatAddUpToItsGradient()
    {
        using var browser = new Browser(server.BaseAddress, output);
        browser.Open();
        var jobId = browser.StartPreset("xor", 2_000);
        Assert.Equal("succeeded", browser.WaitForStatus(jobId, "succeeded", "failed", "cancelled"));

        // Row 3 is (1, 1): on row 0, (0, 0), every first-layer weight has a zero gradient, which proves little.
        browser.SetValue("input[name=graphRow]", "3");
        var node = $"#graph-card [data-node-id='{FirstWeight}']";
        browser.Until(() => browser.FindOrNull("#graph-card [data-node-id='x[0,0]'] .node-value") is { } x && x.Text == "v 1" ? true : (bool?)null,
                      TimeSpan.FromSeconds(20), $"the unrolled graph of row 3 to show {FirstWeight}");
        browser.Click(node);

        var panel = browser.Until(() => browser.FindOrNull($"#path-sum[data-node='{FirstWeight}']") is { Displayed: true } p ? p : null,
                                  TimeSpan.FromSeconds(10), "the path-sum panel of the clicked weight");
        var products = panel.FindElements(By.CssSelector("li.path")).Select(li => Number(li.GetDomAttribute("data-product"))).ToArray();
        Assert.NotEmpty(products);
        Assert.Equal(products.Length, int.Parse(panel.GetDomAttribute("data-path-count")!, CultureInfo.InvariantCulture));
        var gradient = Number(panel.GetDomAttribute("data-gradient"));
        var sum = products.Sum();
        Assert.True(Math.Abs(sum - gradient) <= 1e-9 + 1e-6 * Math.Abs(gradient), $"Σ path products {sum} ≠ gradient {gradient}");
        Assert.Equal("true", panel.GetDomAttribute("data-match"));
        Assert.Contains("equal", panel.FindElement(By.CssSelector(".verdict")).Text, StringComparison.Ordinal);

        // The gradient shown is the engine's, for the same row and the job's final weights.
        var graph = await server.Api.GetJsonAsync($"/api/jobs/{jobId}/graph?row=3&unroll=true");
        var engine = graph["nodes"]!.AsArray().Single(n => n!["id"]!.GetValue<string>() == FirstWeight)!["gradient"]!;
        var engineGradient = engine is System.Text.Json.Nodes.JsonArray array ? array[0]!.GetValue<double>() : engine.GetValue<double>();
        Assert.Equal(engineGradient, gradient, 12);
        Assert.NotEqual(0, gradient);
    }

    private static double Number(string? text) => double.Parse(text ?? "", NumberStyles.Float, CultureInfo.InvariantCulture);
}
