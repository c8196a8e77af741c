using System.Globalization;
using System.Net;
using BackpropService.Api.Observability;
using BackpropService.Api.Warmup;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests.Observability;

public sealed class MetricsTests
{
    [Fact]
    public async Task MetricsEndpointExposesTheTrainingInstrumentsForPrometheus()
    {
        await using var app = new BackpropApplication();
        using var client = app.CreateClient();
        var (network, dataset) = await client.CreateXorAsync();
        var job = await client.CreateJobAsync(network, dataset, epochs: 500);
        await client.WaitForStatusAsync(job, "succeeded");
        // The job-count gauge's first sample comes after the first-use warm-up.
        await app.Services.GetRequiredService<JobCountsSampler>().FirstSample.WaitAsync(TimeSpan.FromMinutes(1));

        var response = await client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        // NOTE: at least, not exactly: test hosts share the process, and a meter name is process-wide.
        Assert.True(Sample(text, "backprop_epochs_total") >= 500, text);
        Assert.True(Sample(text, "backprop_jobs_claimed_total") >= 1, text);
        Assert.True(Sample(text, "backprop_jobs_finished_total", "status=\"succeeded\"") >= 1, text);
        Assert.True(Sample(text, "backprop_epoch_write_duration_seconds_count") >= 1, text);
        Assert.Contains("# TYPE backprop_jobs gauge", text);
        Assert.Contains("# TYPE backprop_jobs_training gauge", text);
    }

    [Fact]
    public async Task TheJobCountGaugesFirstSampleWaitsForTheFirstUseWarmup()
    {
        await using var app = new BackpropApplication();
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode); // starts the warm-up
        await app.Services.GetRequiredService<JobCountsSampler>().FirstSample.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(app.Services.GetRequiredService<FirstUseWarmup>().Done.IsCompleted, "the first count ran beside the warm-up");
    }

    [Fact]
    public async Task MetricsCanBeSwitchedOff()
    {
        await using var app = new BackpropApplication(settings: new Dictionary<string, string?> { ["Metrics:Enabled"] = "false" });
        using var client = app.CreateClient();
        var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>The sum of a metric's samples whose labels contain <paramref name="label"/>; 0 when there are none.</summary>
    private static double Sample(string exposition, string metric, string label = "") => exposition.Split('\n')
        .Where(line => (line.StartsWith(metric + "{", StringComparison.Ordinal) || line.StartsWith(metric + " ", StringComparison.Ordinal)) && line.Contains(label, StringComparison.Ordinal))
        .Sum(line => double.Parse(line.Split(' ')[^1], CultureInfo.InvariantCulture));
}
