using System.Net;
using Xunit.Abstractions;

namespace BackpropService.Api.BrowserTests;

/// <summary>Every training setting is in the form, the form survives a reload, and "Clone" fills it with a job's request.</summary>
[Collection(PageCollection.Name)]
public sealed class FormSettingsTests(PageServer server, ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [BrowserFact]
    public async Task MoreSettingsReachTheJobAndTheFormSurvivesAReload()
    {
        using var browser = new Browser(server.BaseAddress, output);
        browser.Open();
        browser.Click("#train-form .more-settings summary");
        browser.SetValue("#train-form [name=scheduleType]", "cosine");
        browser.SetValue("#train-form [name=scheduleMinLearningRate]", "0.05");
        browser.SetValue("#train-form [name=stopMetric]", "cost");
        browser.SetValue("#train-form [name=stopPatience]", "100000");
        browser.SetValue("#train-form [name=weightDecay]", "0.0001");
        var jobId = browser.StartPreset("xor", 300);
        var job = await server.Api.WaitForFinishAsync(jobId);
        Assert.Equal("succeeded", job["status"]!.GetValue<string>());
        // The cosine schedule ends at its minimum; early stopping reports its best epoch.
        var rate = job["currentLearningRate"]!.GetValue<double>();
        Assert.InRange(rate, 0.05, 0.05 + 0.01 * job["learningRate"]!.GetValue<double>());
        Assert.NotNull(job["bestEpoch"]);

        browser.Driver.Navigate().Refresh();
        browser.WaitForReady();
        Assert.Equal("300", browser.Find("#train-form [name=epochs]").GetDomProperty("value"));
        Assert.Equal("cosine", browser.Find("#train-form [name=scheduleType]").GetDomProperty("value"));
        Assert.Equal("0.0001", browser.Find("#train-form [name=weightDecay]").GetDomProperty("value"));
    }

    [BrowserFact]
    public void ACheckboxKeepsItsStateAcrossReloads()
    {
        const string box = "#train-form [name=recordGradientNorms]";
        using var browser = new Browser(server.BaseAddress, output);
        browser.Open();
        Assert.False(browser.Find(box).Selected);
        browser.Click(box);
        browser.Driver.Navigate().Refresh();
        browser.WaitForReady();
        Assert.True(browser.Find(box).Selected, "the ticked box came back unticked");

        browser.Click(box);
        browser.Driver.Navigate().Refresh();
        browser.WaitForReady();
        Assert.False(browser.Find(box).Selected, "the unticked box came back ticked");
    }

    [BrowserFact]
    public async Task CloneFillsTheFormWithAnApiJobAndTrainsTheSameNetwork()
    {
        var name = $"clone-{Guid.NewGuid():N}"[..14];
        var original = await server.Api.PostAsync("/api/jobs", $$"""
            { "network": { "name": "{{name}}", "inputs": 2, "layers": [ { "units": 3, "activation": "tanh" }, { "units": 1, "activation": "sigmoid" } ], "loss": "binary_cross_entropy" },
              "dataset": { "name": "xor", "features": [[0,0],[0,1],[1,0],[1,1]], "targets": [[0],[1],[1],[0]] },
              "epochs": 40, "learningRate": 0.3, "optimizer": "adam", "seed": 9 }
            """, HttpStatusCode.Accepted);
        await server.Api.WaitForFinishAsync(original);

        using var browser = new Browser(server.BaseAddress, output);
        browser.Open();
        browser.SetValue("#runs-card input[name=q]", name);
        browser.Click("#runs-card .runs-filters button[type=submit]");
        var clone = $"#runs-card tr[data-job-id='{original}'] [data-action=clone]";
        browser.Until(() => browser.FindOrNull(clone), Wait, "the job's row");
        // The table redraws as runs stream, so a found element can go stale: Until retries the whole step.
        browser.Until(() =>
        {
            var element = browser.Find(clone);
            browser.Script<object>("arguments[0].scrollIntoView({ block: 'center' })", element);
            element.Click();
            return (bool?)true;
        }, Wait, "a click on Clone");
        browser.Until(() => browser.Find("#train-form [name=learningRate]").GetDomProperty("value") == "0.3" ? true : (bool?)null, Wait, "the form to take the job's settings");
        Assert.Equal("adam", browser.Find("#train-form [name=optimizer]").GetDomProperty("value"));
        Assert.Equal("9", browser.Find("#train-form [name=seed]").GetDomProperty("value"));
        Assert.Equal("40", browser.Find("#train-form [name=epochs]").GetDomProperty("value"));

        var before = browser.Attribute("#loss-chart", "data-job-id");
        browser.Click("#train-button");
        var copy = browser.Until(() => browser.Attribute("#loss-chart", "data-job-id") is { Length: > 0 } id && id != before ? id : null, Wait,
                                 $"the clone to be queued (form error: {browser.Find("[data-error-for=network]").Text} {browser.Find("[data-error-for=form]").Text})");
        var job = await server.Api.WaitForFinishAsync(copy);
        Assert.Equal("succeeded", job["status"]!.GetValue<string>());
        // Same network, data, settings and seed: the same cost, bit for bit.
        Assert.Equal((await server.Api.GetJobAsync(original))["cost"]!.GetValue<double>(), job["cost"]!.GetValue<double>());
    }
}
