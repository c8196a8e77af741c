using OpenQA.Selenium;
using Xunit.Abstractions;

namespace BackpropService.Api.BrowserTests;

/// <summary>What a new user met on the page (issue 18), each shown fixed.</summary>
[Collection(PageCollection.Name)]
public sealed class PageDefectTests(PageServer server, ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private const string Xor = """{ "name": "xor-pts", "features": [[0,0],[0,1],[1,0],[1,1]], "targets": [[0],[1],[1],[0]] }""";

    private Task<string> ApiJobAsync(string networkName, string dataset, int inputs = 2, int hidden = 2, int epochs = 300) =>
        server.Api.PostAsync("/api/jobs", $$"""
            { "network": { "name": "{{networkName}}", "inputs": {{inputs}},
                           "layers": [ { "units": {{hidden}}, "activation": "tanh" }, { "units": 1, "activation": "sigmoid" } ], "loss": "binary_cross_entropy" },
              "dataset": {{dataset}}, "epochs": {{epochs}}, "learningRate": 0.5, "seed": 7 }
            """, System.Net.HttpStatusCode.Accepted);

    [BrowserFact]
    public async Task AJobMadeThroughTheApiIsNamedAndGetsItsDecisionBoundary()
    {
        var jobId = await ApiJobAsync("api-made-net", Xor);
        await server.Api.WaitForFinishAsync(jobId);
        using var browser = new Browser(server.BaseAddress, output);
        browser.Open($"#job={jobId}");
        browser.Until(() => browser.Find("#selected-summary").Text.StartsWith("api-made-net", StringComparison.Ordinal) ? true : (bool?)null,
                      Wait, "the chart summary to call the job by its name");
        browser.Until(() => browser.Attribute("#boundary-card", "data-state") == "drawn" ? true : (bool?)null, Wait,
                      $"the decision boundary of an API-made 2-D job (note: {browser.Find("[data-role=boundary-note]").Text})");
    }

    [BrowserFact]
    public async Task AFourFeatureJobSaysABoundaryNeedsTwoFeatures()
    {
        var jobId = await ApiJobAsync("four-features", """{ "name": "four", "features": [[0,0,0,0],[1,1,1,1]], "targets": [[0],[1]] }""", inputs: 4, epochs: 5);
        using var browser = new Browser(server.BaseAddress, output);
        browser.Open($"#job={jobId}");
        browser.Until(() => browser.Find("[data-role=boundary-note]").Text.Contains("needs a dataset with 2 features; this one has 4", StringComparison.Ordinal) ? true : (bool?)null,
                      Wait, "the boundary card to say why it draws nothing");
    }

    [BrowserFact]
    public async Task ANetworkTooBigForTheScalarViewUnticksItAndStopsAsking()
    {
        var jobId = await ApiJobAsync("wide", Xor, hidden: 200, epochs: 20);
        await server.Api.WaitForFinishAsync(jobId);
        using var browser = new Browser(server.BaseAddress, output);
        browser.Open($"#job={jobId}");
        browser.Until(() => browser.Find("[data-role=graph-note]").Text.Contains("too large for the scalar view", StringComparison.Ordinal) ? true : (bool?)null,
                      Wait, "the graph card to say the scalar view is too large");
        Assert.False(browser.Find("input[name=graphUnroll]").Selected);
        Assert.True(int.Parse(browser.Attribute("#graph-card [data-role=graph-view]", "data-node-count") ?? "0", System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [BrowserFact]
    public async Task KeyboardSelectsJobRowsAndGraphNodes()
    {
        var first = await ApiJobAsync("keyboard-a", Xor, epochs: 50);
        var second = await ApiJobAsync("keyboard-b", Xor, epochs: 50);
        await server.Api.WaitForFinishAsync(first);
        await server.Api.WaitForFinishAsync(second);
        using var browser = new Browser(server.BaseAddress, output);
        browser.Open($"#job={second}");
        var row = browser.Until(() => browser.FindOrNull($"#job-list li[data-job-id='{first}']"), Wait, "the first job's row");
        Assert.Equal("0", row.GetDomAttribute("tabindex"));
        Press(browser, row, Keys.Enter);
        browser.Until(() => browser.Attribute("#loss-chart", "data-job-id") == first ? true : (bool?)null, Wait, "Enter on a row to select its job");

        var node = browser.Until(() => browser.FindOrNull("#graph-card [data-node-id='layers.0.weights[0,0]']"), Wait, "a weight node in the scalar view");
        Press(browser, node, Keys.Space);
        browser.Until(() => browser.FindOrNull("#path-sum[data-node='layers.0.weights[0,0]']") is { Displayed: true } ? true : (bool?)null,
                      Wait, "Space on a node to show its path sum");
    }

    /// <summary>Focuses the element as Tab would, then presses the key on whatever has the focus.</summary>
    private static void Press(Browser browser, IWebElement element, string key)
    {
        browser.Script<object>("arguments[0].focus()", element);
        Assert.True(browser.Script<bool>("return document.activeElement === arguments[0]", element), "the element takes focus");
        new OpenQA.Selenium.Interactions.Actions(browser.Driver).SendKeys(key).Perform();
    }

    [BrowserFact]
    public void TheChainRuleCardClearsAnEarlierResultWhenAnEvaluationFails()
    {
        using var browser = new Browser(server.BaseAddress, output);
        browser.Open();
        browser.Until(() => browser.Find("[data-role=chain-result]").Text.StartsWith("f = ", StringComparison.Ordinal) ? true : (bool?)null, Wait, "the first function's result");
        browser.SetValue("#chain-card input[name=inputs]", """{ "x": 0.5, "nope": 1 }""");
        browser.Click("#chain-card button[type=submit]");
        var error = browser.Until(() => browser.Find("[data-role=chain-error]") is { Displayed: true } e && e.Text.Length > 0 ? e.Text : null, Wait, "the error");
        Assert.Equal("", browser.Find("[data-role=chain-result]").Text);
        Assert.Equal("0", browser.Attribute("[data-role=chain-graph]", "data-node-count"));
        Assert.False(browser.Find("[data-role=chain-paths]").Displayed);
        // Each message once: the problem's detail repeats its field errors.
        var lines = error.Split('\n');
        Assert.Equal(lines.Length, lines.Distinct().Count());
    }

    [BrowserFact]
    public void AtPhoneWidthThePageDoesNotScrollSideways()
    {
        using var browser = new Browser(server.BaseAddress, output);
        browser.Driver.Manage().Window.Size = new System.Drawing.Size(390, 844);
        browser.Open();
        var width = browser.Until(() => browser.Script<long?>("return window.innerWidth <= 400 ? window.innerWidth : null"), Wait, "a 390 px viewport");
        var scroll = browser.Script<long>("return document.documentElement.scrollWidth");
        // The message names the widest elements that stick out, so a failure says what to fix.
        var wide = browser.Script<string>("""
            return [...document.querySelectorAll('body *')]
              .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5 && e.getClientRects().length)
              .filter(e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) if (getComputedStyle(a).overflowX !== 'visible') return false; return true; })
              .map(e => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\s+/).join('.') : ''} (${Math.round(e.getBoundingClientRect().right)} px)`)
              .slice(0, 8).join(', ');
            """);
        Assert.True(scroll <= width, $"the page is {scroll} px wide in a {width} px viewport; sticking out: {wide}");
        var evaluate = browser.Find("#chain-card button[type=submit]");
        Assert.True(evaluate.Location.X + evaluate.Size.Width <= width, $"Evaluate ends at {evaluate.Location.X + evaluate.Size.Width} px");
    }
}
