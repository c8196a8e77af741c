using System.Net;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace BackpropService.Api.BrowserTests;

/// <summary>The runs table lists every job page by page, searches, sorts, renames, notes, compares and deletes through the API.</summary>
[Collection(PageCollection.Name)]
public sealed class RunsTableTests(PageServer server, ITestOutputHelper output)
{
    private const int Runs = 30; // more than one page of the table (25)
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [BrowserFact]
    public async Task EveryRunIsListedAndCanBeRenamedNotedComparedAndDeleted()
    {
        var name = $"runs-{Guid.NewGuid():N}"[..16];
        var networkId = await server.Api.PostAsync("/api/networks", $$"""
            { "name": "{{name}}", "inputs": 2, "layers": [ { "units": 2, "activation": "tanh" }, { "units": 1, "activation": "sigmoid" } ], "loss": "binary_cross_entropy" }
            """, HttpStatusCode.Created);
        var datasetId = await server.Api.PostAsync("/api/datasets", """{ "name": "xor", "features": [[0,0],[0,1],[1,0],[1,1]], "targets": [[0],[1],[1],[0]] }""", HttpStatusCode.Created);
        var ids = new List<string>();
        for (var i = 0; i < Runs; i++)
            ids.Add(await server.Api.PostAsync("/api/jobs", $$"""{ "networkId": "{{networkId}}", "datasetId": "{{datasetId}}", "epochs": 5, "learningRate": 0.5, "seed": {{i}} }""", HttpStatusCode.Accepted));
        foreach (var id in ids) await server.Api.WaitForFinishAsync(id);

        using var browser = new Browser(server.BaseAddress, output);
        browser.Open();
        browser.SetValue("#runs-card input[name=q]", name);
        browser.Click("#runs-card .runs-filters button[type=submit]");
        browser.Until(() => RowIds(browser).Count == 25 ? true : (bool?)null, Wait, "the first page of the search");
        browser.Click("#runs-card [data-action=more]");
        browser.Until(() => RowIds(browser).Count == Runs ? true : (bool?)null, Wait, "the second page");
        Assert.Equal(ids.Order(), RowIds(browser).Order());
        Assert.False(browser.Find("#runs-card [data-action=more]").Displayed);

        // Sorting by name, then renaming one run: the API has the new name and the row shows it.
        browser.Click("#runs-card th[data-key=name] button");
        Assert.Equal("ascending", browser.Attribute("#runs-card th[data-key=name]", "aria-sort"));
        browser.Click("#runs-card th[data-key=name] button");
        Assert.Equal("descending", browser.Attribute("#runs-card th[data-key=name]", "aria-sort"));
        var target = ids[3];
        Answer(browser, $"#runs-card tr[data-job-id='{target}'] [data-action=rename]", "best so far");
        browser.Until(() => browser.Find($"#runs-card tr[data-job-id='{target}'] .run-name").Text == "best so far" ? true : (bool?)null, Wait, "the renamed row");
        Assert.Equal("best so far", (await server.Api.GetJobAsync(target))["name"]!.GetValue<string>());
        Answer(browser, $"#runs-card tr[data-job-id='{target}'] [data-action=note]", "seed 3 converged");
        browser.Until(() => browser.FindOrNull($"#runs-card tr[data-job-id='{target}'] .run-notes")?.Text == "seed 3 converged" ? true : (bool?)null, Wait, "the note");
        Assert.Equal("seed 3 converged", (await server.Api.GetJobAsync(target))["notes"]!.GetValue<string>());

        // Two runs compared on the chart.
        foreach (var id in ids.Take(2)) ClickRow(browser, $"#runs-card tr[data-job-id='{id}'] [data-action=compare]");
        browser.Until(() => browser.Script<bool>("return arguments.length === 2 && window.backprop.state.compared.has(arguments[0]) && window.backprop.state.compared.has(arguments[1])", ids[0], ids[1]) ? true : (bool?)null,
                      Wait, "both runs compared");

        // Deleting one: gone from the table and from the API.
        var doomed = ids[^1];
        ClickRow(browser, $"#runs-card tr[data-job-id='{doomed}'] [data-action=delete]");
        browser.Driver.SwitchTo().Alert().Accept();
        browser.Until(() => RowIds(browser).Contains(doomed) ? null : (bool?)true, Wait, "the deleted row to go");
        Assert.Equal(HttpStatusCode.NotFound, (await server.Api.GetAsync($"/api/jobs/{doomed}")).StatusCode);
    }

    private static List<string> RowIds(Browser browser) =>
        browser.Driver.FindElements(By.CssSelector("#runs-card tbody tr[data-job-id]")).Select(r => r.GetDomAttribute("data-job-id")!).ToList();

    /// <summary>Scrolls the row to the middle of its box first, as a user would: the sticky header covers the top.</summary>
    private static void ClickRow(Browser browser, string css)
    {
        // The table redraws as runs stream, so a found element can go stale: Until retries the whole step.
        browser.Until(() =>
        {
            var element = browser.Find(css);
            browser.Script<object>("arguments[0].scrollIntoView({ block: 'center' })", element);
            element.Click();
            return (bool?)true;
        }, TimeSpan.FromSeconds(10), $"a click on {css}");
    }

    private static void Answer(Browser browser, string button, string text)
    {
        ClickRow(browser, button);
        var prompt = browser.Driver.SwitchTo().Alert();
        prompt.SendKeys(text);
        prompt.Accept();
    }
}
