using BackpropService.Api.Warmup;
using BackpropService.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests.Warmup;

/// <summary>The warm-up after start runs every step, and leaves no row, list entry or queue place behind.</summary>
public sealed class FirstUseWarmupTests
{
    [Fact]
    public async Task RunsOnceTheServiceListensAndLeavesNothingAUserCanSee()
    {
        await using var app = new BackpropApplication();
        using var client = app.CreateClient();
        Assert.True(await app.Services.GetRequiredService<FirstUseWarmup>().Done.WaitAsync(TimeSpan.FromMinutes(2)), "every step of the warm-up ran");

        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<BackpropDbContext>>().CreateDbContextAsync())
        {
            Assert.Equal(0, await db.Jobs.IgnoreQueryFilters().CountAsync());
            Assert.Equal(0, await db.Networks.IgnoreQueryFilters().CountAsync());
            Assert.Equal(0, await db.Datasets.IgnoreQueryFilters().CountAsync());
        }
        foreach (var list in new[] { "/api/jobs", "/api/networks", "/api/datasets", "/api/sweeps" })
            Assert.Empty((await client.GetJsonAsync(list))["items"]!.AsArray());

        // The first user's job is first in the queue and trains as it would without the warm-up.
        var (network, dataset) = await client.CreateXorAsync();
        var job = await client.CreateJobAsync(network, dataset, epochs: 1);
        var done = await client.WaitForStatusAsync(job, "succeeded");
        Assert.Equal(1, done["epochsCompleted"]!.GetValue<int>());
    }

    [Fact]
    public async Task CanBeSwitchedOff()
    {
        await using var app = new BackpropApplication(settings: new Dictionary<string, string?> { [FirstUseWarmup.EnabledKey] = "false" });
        using var client = app.CreateClient();
        Assert.False(await app.Services.GetRequiredService<FirstUseWarmup>().Done.WaitAsync(TimeSpan.FromMinutes(2)), "the warm-up did not run");
    }
}
