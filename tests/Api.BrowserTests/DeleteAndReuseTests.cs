using System.Net;
using Xunit.Abstractions;

namespace BackpropService.Api.BrowserTests;

/// <summary>Train presses with unchanged data share one dataset; a finished job is deleted from the list after a confirm.</summary>
[Collection(PageCollection.Name)]
public sealed class DeleteAndReuseTests(PageServer server, ITestOutputHelper output)
{
    [BrowserFact]
    public async Task UnchangedDataIsUploadedOnceAndDeleteRemovesTheFinishedJob()
    {
        using var browser = new Browser(server.BaseAddress, output);
        browser.Open();
        var first = browser.StartPreset("xor", 50);
        browser.WaitForStatus(first, "succeeded");
        var second = browser.StartPreset("xor", 60);
        browser.WaitForStatus(second, "succeeded");
        var firstDataset = (await server.Api.GetJsonAsync($"/api/jobs/{first}"))["datasetId"]!.GetValue<string>();
        Assert.Equal(firstDataset, (await server.Api.GetJsonAsync($"/api/jobs/{second}"))["datasetId"]!.GetValue<string>());

        var row = $"#job-list [data-job-id='{first}']";
        browser.Click($"{row} button.delete");
        browser.Driver.SwitchTo().Alert().Accept();
        browser.Until(() => browser.FindOrNull(row) is null ? true : (bool?)null, TimeSpan.FromSeconds(10), "the deleted job to leave the list");
        Assert.Equal(HttpStatusCode.NotFound, (await server.Api.GetAsync($"/api/jobs/{first}")).StatusCode);
        Assert.NotNull(browser.FindOrNull($"#job-list [data-job-id='{second}']"));
    }
}
