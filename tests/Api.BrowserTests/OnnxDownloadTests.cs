using Xunit.Abstractions;

namespace BackpropService.Api.BrowserTests;

/// <summary>The job list's "Download ONNX" button: shown on a succeeded job only, and it fetches the model file.</summary>
[Collection(PageCollection.Name)]
public sealed class OnnxDownloadTests(PageServer server, ITestOutputHelper output)
{
    [BrowserFact]
    public void ASucceededJobOffersItsOnnxModel()
    {
        using var browser = new Browser(server.BaseAddress, output);
        browser.Open();
        var jobId = browser.StartPreset("xor", 1_000);
        browser.Until(() => browser.JobStatus(jobId) is "succeeded" or "failed" or "cancelled" ? true : (bool?)null,
            PageSteps.TrainingTimeout, "the XOR job to finish");
        Assert.Equal("succeeded", browser.JobStatus(jobId));

        // The page saves the fetched model through an object URL: record the size of what it was given.
        browser.Script<object>("const make = URL.createObjectURL; URL.createObjectURL = b => { window.onnxBytes = b.size; return make(b); };");
        var button = browser.Until(() => browser.Find($"#job-list [data-job-id='{jobId}'] button.onnx") is { Displayed: true } b ? b : null,
            TimeSpan.FromSeconds(10), "the Download ONNX button");
        button.Click();
        var bytes = browser.Until(() => browser.Script<long?>("return window.onnxBytes ?? null;"), TimeSpan.FromSeconds(10), "the model's download");
        Assert.True(bytes > 100, $"the downloaded model has {bytes} bytes");
    }
}
