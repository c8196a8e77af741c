using System.Net;
using BackpropService.Api.Lifecycle;
using BackpropService.Persistence;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests.Lifecycle;

/// <summary>Retention:FinishedJobsDays: off by default; on, a sweep deletes old finished jobs in batches and keeps the rest.</summary>
public sealed class RetentionSweepTests
{
    [Fact]
    public async Task TheSweepIsOffByDefault()
    {
        await using var app = new BackpropApplication();
        _ = app.CreateClient();
        var sweep = app.Services.GetRequiredService<RetentionSweep>();
        Assert.Null(app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RetentionOptions>>().Value.FinishedJobsDays);
        // Started and returned at once: no loop, no timer, nothing deleted by age.
        Assert.True(sweep.ExecuteTask is { IsCompletedSuccessfully: true });
    }

    [Fact]
    public async Task OldFinishedJobsGoInBatchesWithTheirRowsAndRecentOnesStay()
    {
        var clock = new ShiftedClock();
        await using var app = new BackpropApplication(settings: new Dictionary<string, string?>
        {
            ["Retention:FinishedJobsDays"] = "1",
            ["Retention:SweepInterval"] = "00:00:00.050",
            ["Retention:BatchSize"] = "2",
        });
        await using var host = app.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock)));
        var client = host.CreateClient();
        var sweep = host.Services.GetRequiredService<RetentionSweep>();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var old = new List<string>();
        for (var i = 0; i < 3; i++) old.Add(await client.CreateJobAsync(networkId, datasetId, 10));
        foreach (var id in old) await client.WaitForStatusAsync(id, "succeeded");
        // A sweep that starts now finds them too young.
        Assert.Equal(0, await sweep.NextSweepAsync().WaitAsync(TimeSpan.FromSeconds(30)));

        // The first sweep to start after two days have passed deletes all three, two per batch.
        clock.Shift(TimeSpan.FromDays(2));
        Assert.Equal(3, await sweep.NextSweepAsync().WaitAsync(TimeSpan.FromSeconds(30)));
        var recent = await client.CreateJobAsync(networkId, datasetId, 10);
        await client.WaitForStatusAsync(recent, "succeeded");
        Assert.Equal(0, await sweep.NextSweepAsync().WaitAsync(TimeSpan.FromSeconds(30)));

        foreach (var id in old) Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Get, $"/api/jobs/{id}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(HttpMethod.Get, $"/api/jobs/{recent}")).Status);
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<BackpropDbContext>>().CreateDbContextAsync();
        Assert.Equal([recent], await db.Jobs.Select(j => j.Id).ToListAsync());
        Assert.Equal([recent], await db.LossChunks.Select(c => c.JobId).Distinct().ToListAsync());
        Assert.Equal([recent], await db.WeightSnapshots.Select(w => w.JobId).ToListAsync());
        Assert.Empty(await db.Checkpoints.Where(c => c.JobId != recent).ToListAsync());
    }

    /// <summary>The system clock moved forward by a chosen amount, so "two days later" needs no waiting.</summary>
    private sealed class ShiftedClock : TimeProvider
    {
        private long _shiftTicks;

        public void Shift(TimeSpan by) => Interlocked.Add(ref _shiftTicks, by.Ticks);

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _shiftTicks));
    }
}
