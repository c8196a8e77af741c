using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;
using Xunit.Abstractions;

namespace BackpropService.Api.BrowserTests;

/// <summary>The "Why this output?" card: a dataset row or a click on the decision boundary shows the API's attributions as bars.</summary>
[Collection(PageCollection.Name)]
public sealed class ExplainTests(PageServer server, ITestOutputHelper output)
{
    [BrowserFact]
    public async Task ARowAndAClickedPointShowTheirAttributionsForTheChosenMethod()
    {
        using var browser = new Browser(server.BaseAddress, output);
        browser.Open();
        var jobId = browser.StartPreset("xor", 1_000);
        Assert.Equal("succeeded", browser.WaitForStatus(jobId, "succeeded", "failed", "cancelled"));

        // Row 3 of the XOR preset is (1, 1); the row field is enabled once the page knows the job's dataset.
        browser.Until(() => browser.Find("input[name=explainRow]").Enabled ? true : (bool?)null, TimeSpan.FromSeconds(10), "the dataset row field");
        browser.SetValue("input[name=explainRow]", "3");
        await ShownAsync(browser, jobId, "gradient", [1, 1]);

        browser.SetValue("select[name=explainMethod]", "integrated_gradients");
        await ShownAsync(browser, jobId, "integrated_gradients", [1, 1]);

        // Once the boundary is drawn, a click on it explains that point of the plane.
        browser.Until(() => browser.Attribute("#boundary-card", "data-state") == "drawn" ? true : (bool?)null,
                      TimeSpan.FromSeconds(20), "the decision boundary to be drawn");
        var canvas = browser.Find("#boundary-card canvas");
        new Actions(browser.Driver).MoveToElement(canvas, canvas.Size.Width / 4, -canvas.Size.Height / 4).Click().Perform();
        var point = browser.Until(() => browser.Attribute("#explain-card", "data-input") is { } input && input != "[1,1]" ? input : null,
                                  TimeSpan.FromSeconds(10), "the clicked point to be explained");
        var values = JsonNode.Parse(point)!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        Assert.True(values[0] > 0.5 && values[1] > 0.5, $"a click right of and above the middle explains a point up and to the right: {point}");
        Assert.Contains("point (", browser.Find("#explain-card [data-role=explain-note]").Text, StringComparison.Ordinal);
        await ShownAsync(browser, jobId, "integrated_gradients", values);
    }

    /// <summary>Waits for the card to show <paramref name="method"/>'s attributions of <paramref name="input"/>, then compares each bar with the API's answer.</summary>
    private async Task ShownAsync(Browser browser, string jobId, string method, double[] input)
    {
        var expected = JsonSerializerInput(input);
        browser.Until(() => browser.Attribute("#explain-card", "data-state") == "shown" && browser.Attribute("#explain-card", "data-method") == method &&
                            browser.Attribute("#explain-card", "data-input") == expected ? true : (bool?)null,
                      TimeSpan.FromSeconds(20), $"the {method} attributions of {expected}");
        var bars = browser.Driver.FindElements(By.CssSelector("#explain-card .attribution"));
        var shown = bars.Select(b => double.Parse(b.GetDomAttribute("data-value")!, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();

        using var response = await server.Api.PostAsJsonAsync($"/api/jobs/{jobId}/explain", new { inputs = new[] { input }, method });
        response.EnsureSuccessStatusCode();
        var api = (await response.Content.ReadFromJsonAsync<JsonNode>())!["attributions"]![0]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        Assert.Equal(api, shown);
        Assert.Contains(api, v => v != 0);
        output.WriteLine($"{method} at {expected}: {string.Join(", ", shown)}");
    }

    /// <summary>The input as the page writes it (JSON.stringify of the numbers).</summary>
    private static string JsonSerializerInput(double[] input) => new JsonArray(input.Select(v => (JsonNode)v).ToArray()).ToJsonString();
}
