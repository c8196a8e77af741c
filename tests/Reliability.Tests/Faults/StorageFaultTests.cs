using System.Net;
using BackpropService.Reliability.Tests.Harness;
using Microsoft.Data.Sqlite;

namespace BackpropService.Reliability.Tests.Faults;

/// <summary>The database busy, locked or full while a job writes its history: clear errors, nothing lost, the service stays up.</summary>
public sealed class StorageFaultTests
{
    // Long enough to be still training when the lock is taken after its first 100 epochs (2,400 sometimes was not).
    private const int Epochs = 12_000;

    [Fact]
    public async Task ALockedDatabaseDelaysTheHistoryButLosesNothingAndTheApiAnswers503WithRetryAfter()
    {
        var injector = new StorageFaultInjector(busyTimeoutMilliseconds: 200);
        await using var app = new InProcessService(services: injector.AddTo);
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateNetworkAndDatasetAsync();
        var jobId = await client.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, Epochs), HttpStatusCode.Accepted);
        await client.WaitForJobAsync(jobId, j => Workload.EpochsCompleted(j) >= 100, TimeSpan.FromSeconds(60));

        long lockedAt;
        await using (var locker = new SqliteConnection($"Data Source={app.Database.Path};Pooling=False"))
        {
            await locker.OpenAsync();
            await using var writeLock = locker.BeginTransaction(System.Data.IsolationLevel.Serializable, deferred: false);
            lockedAt = app.Database.EpochsCompleted(jobId);
            await Task.Delay(1500);
            // Readers are not blocked (WAL); a write answers 503 + Retry-After, not 500.
            Assert.Equal("running", Workload.Status(await client.GetJsonAsync($"/api/jobs/{jobId}")));
            using var response = await client.PostAsync("/api/networks", new StringContent(Workload.Network, System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Contains("locked", await response.Content.ReadAsStringAsync());
            Assert.Equal(lockedAt, app.Database.EpochsCompleted(jobId));
            await writeLock.RollbackAsync();
        }

        var job = await client.WaitForFinishAsync(jobId, TimeSpan.FromSeconds(60));
        Assert.True(Workload.Status(job) == "succeeded", job.ToJsonString());
        var referenceId = await client.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, Epochs), HttpStatusCode.Accepted);
        await client.WaitForFinishAsync(referenceId, TimeSpan.FromSeconds(60));
        Assert.Equal(await client.HistoryAsync(referenceId), await client.HistoryAsync(jobId));
        Assert.Equal(await client.WeightsAsync(referenceId), await client.WeightsAsync(jobId));
    }

    [Fact]
    public async Task AFullDiskFailsTheJobWithThatReasonAndTheServiceStaysUp()
    {
        var injector = new StorageFaultInjector();
        await using var app = new InProcessService(new Dictionary<string, string?> { ["Training:StorageRetryTimeout"] = "00:00:01" }, injector.AddTo);
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateNetworkAndDatasetAsync();
        var jobId = await client.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, 200_000), HttpStatusCode.Accepted);
        await client.WaitForJobAsync(jobId, j => Workload.EpochsCompleted(j) >= 100, TimeSpan.FromSeconds(60));

        injector.DiskFull = true;
        var job = await client.WaitForFinishAsync(jobId, TimeSpan.FromSeconds(60));
        Assert.Equal("failed", Workload.Status(job));
        Assert.Contains("disk is full", job["error"]!.GetValue<string>());
        var history = await client.HistoryAsync(jobId);
        Assert.Equal(Enumerable.Range(1, history.Count), history.Select(p => p.Epoch));
        using (var health = await client.GetAsync("/health"))
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        injector.DiskFull = false;
        var next = await client.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, 20), HttpStatusCode.Accepted);
        Assert.Equal("succeeded", Workload.Status(await client.WaitForFinishAsync(next, TimeSpan.FromSeconds(60))));
    }
}
