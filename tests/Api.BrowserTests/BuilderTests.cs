using System.Text.Json.Nodes;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace BackpropService.Api.BrowserTests;

/// <summary>The network builder: layers built by keyboard and form fields train, and the network JSON editor and the builder stay in step.</summary>
[Collection(PageCollection.Name)]
public sealed class BuilderTests(PageServer server, ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private const string Layer = "#builder [data-layer='{0}'] [data-field={1}]";

    [BrowserFact]
    public async Task A241TanhSigmoidNetBuiltAtPhoneWidthLearnsXorAndIsTheJsonTheEditorShows()
    {
        using var browser = new Browser(server.BaseAddress, output);
        browser.Driver.Manage().Window.Size = new System.Drawing.Size(390, 844);
        browser.Open();
        browser.SetValue("select[name=preset]", "xor");
        browser.Until(() => browser.Attribute("#builder [data-role=builder-diagram]", "data-shape") == "2-2-1" ? true : (bool?)null, Wait, "the XOR preset in the builder");

        // Keyboard: Enter on "Add layer" adds a layer and moves focus into it; Enter on its "Remove" takes it away.
        browser.Find("#builder [data-action=add-layer]").SendKeys(Keys.Enter);
        Assert.Equal("2-2-2-1", browser.Attribute("#builder [data-role=builder-diagram]", "data-shape"));
        var focused = browser.Script<string>("return document.activeElement.getAttribute('aria-label')");
        Assert.Equal("layer 2 units", focused);
        browser.Find("#builder [data-layer='1'] [data-action=remove-layer]").SendKeys(Keys.Enter);
        Assert.Equal("2-2-1", browser.Attribute("#builder [data-role=builder-diagram]", "data-shape"));

        var units = browser.Find(string.Format(Layer, 0, "units"));
        units.SendKeys(Keys.Control + "a");
        units.SendKeys("4");
        browser.SetValue(string.Format(Layer, 0, "activation"), "tanh");
        Assert.Equal("2-4-1", browser.Attribute("#builder [data-role=builder-diagram]", "data-shape"));
        Assert.Equal("custom", browser.Find("select[name=preset]").GetDomProperty("value"));

        var built = JsonNode.Parse(browser.Find("textarea[name=network]").GetDomProperty("value")!)!;
        var expected = JsonNode.Parse("""
            { "name": "xor", "inputs": 2,
              "layers": [ { "units": 4, "activation": "tanh" }, { "units": 1, "activation": "sigmoid" } ],
              "loss": "binary_cross_entropy" }
            """);
        Assert.True(JsonNode.DeepEquals(expected, built), $"the editor holds {built.ToJsonString()}");

        var scroll = browser.Script<long>("return document.documentElement.scrollWidth");
        var width = browser.Script<long>("return window.innerWidth");
        Assert.True(scroll <= width, $"the page is {scroll} px wide in a {width} px viewport");

        browser.SetValue("input[name=epochs]", "4000");
        browser.SetValue("input[name=learningRate]", "0.5");
        var before = browser.Attribute("#loss-chart", "data-job-id");
        browser.Click("#train-button");
        var jobId = browser.Until(() => browser.Attribute("#loss-chart", "data-job-id") is { Length: > 0 } id && id != before ? id : null, Wait,
                                  $"the built network's job (form error: {browser.Find("[data-error-for=network]").Text})");
        var job = await server.Api.WaitForFinishAsync(jobId);
        Assert.Equal("succeeded", job["status"]!.GetValue<string>());
        var cost = job["cost"]!.GetValue<double>();
        output.WriteLine($"2-4-1 tanh/sigmoid XOR cost after 4000 epochs: {cost}");
        Assert.True(cost < 0.05, $"XOR not learned: cost {cost}");
        // 2·4 + 4 weights and biases into the tanh layer, 4 + 1 into the sigmoid output.
        var network = await server.Api.GetJsonAsync($"/api/networks/{job["networkId"]!.GetValue<string>()}");
        Assert.Equal(17, network["parameterCount"]!.GetValue<int>());
    }

    [BrowserFact]
    public void EditingTheJsonResyncsTheBuilderAndAGraphLeavesItToTheEditor()
    {
        using var browser = new Browser(server.BaseAddress, output);
        browser.Open();
        browser.SetValue("select[name=preset]", "iris");
        browser.Until(() => browser.Attribute("#builder [data-role=builder-diagram]", "data-shape") == "4-8-3" ? true : (bool?)null, Wait, "the Iris preset in the builder");
        Assert.Equal("softmax", browser.Find("#builder [data-role=builder-head]").GetDomProperty("value"));

        browser.Click("#train-form details.advanced summary");
        browser.SetValue("textarea[name=network]", """
            { "name": "hand", "inputs": 4, "layers": [ { "units": 16, "activation": "relu" }, { "units": 5, "activation": "tanh" },
              { "units": 3, "activation": "softmax" } ], "loss": "cross_entropy" }
            """);
        Assert.Equal("4-16-5-3", browser.Attribute("#builder [data-role=builder-diagram]", "data-shape"));
        Assert.Equal("relu", browser.Find(string.Format(Layer, 0, "activation")).GetDomProperty("value"));
        Assert.Equal("5", browser.Find(string.Format(Layer, 1, "units")).GetDomProperty("value"));
        // Wide layers show a few units and "+n" for the rest.
        Assert.Contains("+12", browser.Find("#builder [data-role=builder-diagram]").Text, StringComparison.Ordinal);

        // A single numeric 0/1 target wants a sigmoid head; a real-valued one, identity with mean squared error.
        browser.SetValue("textarea[name=dataset]", """{ "features": [[0,1,2,3],[1,2,3,4]], "targets": [[0.5],[2.5]] }""");
        var refit = JsonNode.Parse(browser.Find("textarea[name=network]").GetDomProperty("value")!)!;
        Assert.Equal("mse", refit["loss"]!.GetValue<string>());
        Assert.Equal("identity", refit["layers"]![2]!["activation"]!.GetValue<string>());
        Assert.Equal(1, refit["layers"]![2]!["units"]!.GetValue<int>());

        browser.SetValue("textarea[name=network]", """
            { "name": "square", "graph": { "nodes": [ { "id": "x", "op": "input" }, { "id": "f", "op": "square", "inputs": ["x"] } ], "output": "f" } }
            """);
        Assert.Equal("graph form: edit the JSON", browser.Find("#builder [data-role=builder-note]").Text);
        Assert.False(browser.Find("#builder [data-action=add-layer]").Displayed);
        Assert.Null(browser.Attribute("#builder [data-role=builder-diagram]", "data-shape"));
    }
}
