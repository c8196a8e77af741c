using System.Net;
using BackpropService.Api.Testing;
using BackpropService.Reliability.Tests.Harness;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BackpropService.Reliability.Tests.Faults;

/// <summary>The database busy, locked or full while a job writes its history: clear errors, nothing lost, the service stays up.</summary>
public sealed class StorageFaultTests
{
    private const int Epochs = 2_000;
    private const int HeldAt = 100;
    // Not for timing: the history after the hold (~160 KB) needs more pages than the file could have free.
    private const int FullDiskEpochs = 20_000;

    [Fact]
    public async Task ALockedDatabaseDelaysTheHistoryButLosesNothingAndTheApiAnswers503WithRetryAfter()
    {
        var injector = new StorageFaultInjector(busyTimeoutMilliseconds: 200);
        var retrying = new LogSignal("Could not save the training history");
        await using var app = new InProcessService(services: s =>
        {
            injector.AddTo(s);
            s.AddSingleton<ILoggerProvider>(retrying);
        });
        using var hold = EpochHold.Arm(app.Database.InstanceName, HeldAt);
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateNetworkAndDatasetAsync();
        var jobId = await client.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, Epochs), HttpStatusCode.Accepted);
        Assert.Equal(jobId, await hold.Reached.WaitAsync(TimeSpan.FromSeconds(60)));
        await client.WaitForJobAsync(jobId, j => JobClient.EpochsCompleted(j) == HeldAt - 1);

        await using (var locker = new SqliteConnection($"Data Source={app.Database.Path};Pooling=False"))
        {
            await locker.OpenAsync();
            await using var writeLock = locker.BeginTransaction(System.Data.IsolationLevel.Serializable, deferred: false);
            // The job trains on while the database is locked: its flushes fail against the lock and are retried.
            hold.Release();
            await retrying.Logged.WaitAsync(TimeSpan.FromSeconds(60));
            // Readers are not blocked (WAL); a write answers 503 + Retry-After, not 500.
            Assert.Equal("running", JobClient.Status(await client.GetJsonAsync($"/api/jobs/{jobId}")));
            using var response = await client.PostAsync("/api/networks", new StringContent(Workload.Network, System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Contains("locked", await response.Content.ReadAsStringAsync());
            Assert.Equal(HeldAt - 1, app.Database.EpochsCompleted(jobId));
            await writeLock.RollbackAsync();
        }

        var job = await client.WaitForFinishAsync(jobId, TimeSpan.FromSeconds(60));
        Assert.True(JobClient.Status(job) == "succeeded", job.ToJsonString());
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
        using var hold = EpochHold.Arm(app.Database.InstanceName, HeldAt);
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateNetworkAndDatasetAsync();
        var jobId = await client.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, FullDiskEpochs), HttpStatusCode.Accepted);
        Assert.Equal(jobId, await hold.Reached.WaitAsync(TimeSpan.FromSeconds(60)));
        await client.WaitForJobAsync(jobId, j => JobClient.EpochsCompleted(j) == HeldAt - 1);

        // The disk fills while the job is mid-way: its next history write (the epochs after the held one) fails.
        injector.DiskFull = true;
        hold.Release();
        var job = await client.WaitForFinishAsync(jobId, TimeSpan.FromSeconds(60));
        Assert.Equal("failed", JobClient.Status(job));
        Assert.Contains("disk is full", job["error"]!.GetValue<string>());
        var history = await client.HistoryAsync(jobId);
        Assert.Equal(Enumerable.Range(1, history.Count), history.Select(p => p.Epoch));
        Assert.InRange(history.Count, HeldAt - 1, FullDiskEpochs - 1);
        using (var health = await client.GetAsync("/health"))
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        injector.DiskFull = false;
        var next = await client.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, 20), HttpStatusCode.Accepted);
        Assert.Equal("succeeded", JobClient.Status(await client.WaitForFinishAsync(next, TimeSpan.FromSeconds(60))));
    }
}
