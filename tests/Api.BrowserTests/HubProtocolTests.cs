using System.Globalization;
using Xunit.Abstractions;

namespace BackpropService.Api.BrowserTests;

/// <summary>
/// The page streams over the hub's MessagePack protocol: the same messages as JSON, decoded by the vendored
/// MessagePack client, including the values JSON text hides (64-bit integers, null validation costs); and over JSON
/// when the MessagePack script cannot be loaded.
/// </summary>
[Collection(PageCollection.Name)]
public sealed class HubProtocolTests(PageServer server, ITestOutputHelper output)
{
    // 2^63 typed into the form, which the page posts as 9223372036854776000 (the number as JSON.stringify prints it):
    // above long.MaxValue, so the job's seed travels as MessagePack's uint64, beyond any safe JavaScript integer.
    private const string LargeSeed = "9223372036854775808";

    [BrowserFact]
    public async Task ValidationCostsAndA64BitSeedStreamOverMessagePack()
    {
        using var browser = new Browser(server.BaseAddress, output);
        browser.Open();
        Assert.Equal("messagepack", browser.HubProtocol());

        // Two circles has a validation split: every point carries both costs.
        var jobId = browser.StartPreset("circles", epochs: 10_000, seed: LargeSeed);
        Assert.Equal("succeeded", browser.WaitForStatus(jobId, "succeeded", "failed", "cancelled"));

        var job = await server.Api.GetJsonAsync($"/api/jobs/{jobId}");
        var seed = job["seed"]!.GetValue<ulong>();
        Assert.True(seed > long.MaxValue, $"seed {seed} would not need MessagePack's uint64");
        // The uint64 reaches the page as a plain number (what JSON.parse gives), not a BigInt that arithmetic or
        // JSON.stringify would throw on.
        Assert.Equal("number", browser.Script<string>("return typeof window.backprop.live.tracks.get(arguments[0]).job.seed", jobId));
        Assert.Equal((double)seed, Convert.ToDouble(browser.Script<object>("return window.backprop.live.tracks.get(arguments[0]).job.seed", jobId),
                                                    CultureInfo.InvariantCulture));

        var epochs = JobClient.EpochsCompleted(job);
        browser.Until(() => browser.PointCount() == epochs ? true : (bool?)null, TimeSpan.FromSeconds(10), $"the chart to hold all {epochs} epochs");
        var history = await server.Api.HistoryAsync(jobId);
        Assert.All(history, p => Assert.NotNull(p.ValidationCost));
        Assert.Equal(history.Select(p => p.Cost), browser.PageCosts(jobId));
        Assert.Equal(history.Select(p => p.ValidationCost), browser.PageValidationCosts(jobId));
        Assert.Contains(epochs.ToString("N0", CultureInfo.GetCultureInfo("en-US")),
                        browser.Find($"#job-list [data-job-id='{jobId}'] .epochs").Text, StringComparison.Ordinal);
    }

    [BrowserFact]
    public async Task WithoutTheMessagePackScriptThePageStreamsOverJson()
    {
        using var browser = new Browser(server.BaseAddress, output);
        // As if the file were missing or failed to load: Chromium refuses the request.
        browser.Driver.ExecuteCdpCommand("Network.enable", []);
        browser.Driver.ExecuteCdpCommand("Network.setBlockedURLs", new() { ["urls"] = new[] { "*/signalr-protocol-msgpack.min.js" } });
        browser.Open();
        Assert.Equal("json", browser.HubProtocol());
        browser.Until(() => browser.Attribute("#connection", "data-state") == "live" ? true : (bool?)null, TimeSpan.FromSeconds(10),
                      "the hub connection to go live over JSON");

        const int epochs = 100_000;
        var jobId = browser.StartPreset("xor", epochs);
        Assert.Equal("succeeded", browser.WaitForStatus(jobId, "succeeded", "failed", "cancelled"));
        browser.Until(() => browser.PointCount() == epochs ? true : (bool?)null, TimeSpan.FromSeconds(10), $"the chart to hold all {epochs} epochs");
        Assert.Equal(await server.Api.HistoryCostsAsync(jobId), browser.PageCosts(jobId));
        Assert.Equal("live", browser.Attribute("#connection", "data-state")); // streamed, not polled
    }
}
