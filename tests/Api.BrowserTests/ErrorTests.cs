using System.Net;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace BackpropService.Api.BrowserTests;

/// <summary>API problems reach the user as the problem's detail, next to the field at fault.</summary>
[Collection(PageCollection.Name)]
public sealed class ErrorTests(PageServer server, ITestOutputHelper output)
{
    private const string InvalidNetwork =
        """{ "name": "broken", "inputs": 2, "layers": [ { "units": 0, "activation": "sigmoid" }, { "units": 1, "activation": "sigmoid" } ], "loss": "binary_cross_entropy" }""";

    [BrowserFact]
    public async Task InvalidNetworkShowsTheProblemDetailNextToTheNetworkField()
    {
        using var browser = new Browser(server.BaseAddress, output);
        browser.Open();
        var dataset = (string)browser.Find("textarea[name=dataset]").GetDomProperty("value")!;
        browser.Click("details.advanced summary");
        browser.SetValue("textarea[name=network]", InvalidNetwork);
        var jobsBefore = browser.Driver.FindElements(OpenQA.Selenium.By.CssSelector("#job-list [data-job-id]")).Count;

        browser.Click("#train-button");

        var shown = browser.Until(() => browser.Find("[data-error-for=network]") is { Displayed: true } e && e.Text.Length > 0 ? e.Text : null,
                                  TimeSpan.FromSeconds(15), "an error next to the network field");
        Assert.Equal("network", browser.Attribute("#train-form", "data-problem-field"));
        Assert.Contains("invalid", browser.Attribute("textarea[name=network]", "class") ?? "", StringComparison.Ordinal);

        // The text is the service's own detail for the same request, not a message the page made up.
        var body = $$"""{ "network": {{InvalidNetwork}}, "dataset": {{dataset}}, "epochs": 3000, "learningRate": 2, "optimizer": "sgd", "batchSize": null, "seed": 42 }""";
        using var response = await server.Api.PostAsync("/api/jobs", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var detail = problem.GetProperty("detail").GetString();
        Assert.False(string.IsNullOrWhiteSpace(detail));
        Assert.Contains(detail!, shown, StringComparison.Ordinal);

        // Nothing was queued, and the error goes away once the network is fixed.
        Assert.Equal(jobsBefore, browser.Driver.FindElements(OpenQA.Selenium.By.CssSelector("#job-list [data-job-id]")).Count);
        browser.SetValue("select[name=preset]", "xor");
        browser.Until(() => browser.Find("[data-error-for=network]").Displayed ? null : (bool?)true, TimeSpan.FromSeconds(5),
                      "the error to clear when a valid preset is loaded");
    }
}
