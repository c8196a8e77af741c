using System.Net;
using BackpropService.Reliability.Tests.Harness;

namespace BackpropService.Reliability.Tests.Faults;

/// <summary>A job that takes the worker down every time it runs fails for good after Training:MaxAttempts, with the reason.</summary>
public sealed class PoisonJobTests
{
    private const int HeldAt = 100;

    [Fact]
    public async Task AJobThatCrashesTheServiceEveryTimeFailsAfterMaxAttemptsAndOtherJobsThenRun()
    {
        using var db = new TempDatabase();
        // Every attempt of the poison job is held at HeldAt, where its process is killed.
        using var hold = new ProcessHold(HeldAt);
        var settings = new Dictionary<string, string>(hold.Settings) { ["Training__MaxAttempts"] = "2", ["Training__MaxConcurrentJobs"] = "1" };
        string poisonId, healthyId;
        await using (var service = await ServiceProcess.StartAsync(db.Path, db.InstanceName, settings))
        {
            var (networkId, datasetId) = await service.Client.CreateNetworkAndDatasetAsync();
            poisonId = await service.Client.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, 1_000), HttpStatusCode.Accepted);
            healthyId = await service.Client.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, 20, seed: 9), HttpStatusCode.Accepted);
            await KillOnceRunningAsync(service, db, poisonId, attempt: 1);
        }
        // Every start takes the poison job first (an abandoned lease goes before the queue), and crashes again.
        await using (var service = await ServiceProcess.StartAsync(db.Path, db.InstanceName, settings))
            await KillOnceRunningAsync(service, db, poisonId, attempt: 2);
        Assert.Equal("Queued", db.JobStatus(healthyId));

        await using (var service = await ServiceProcess.StartAsync(db.Path, db.InstanceName, settings))
        {
            var poison = await service.Client.WaitForFinishAsync(poisonId, TimeSpan.FromSeconds(30));
            Assert.Equal("failed", JobClient.Status(poison));
            var error = poison["error"]!.GetValue<string>();
            Assert.Contains("2 attempts", error);
            Assert.Contains("crashed", error);
            var healthy = await service.Client.WaitForFinishAsync(healthyId, TimeSpan.FromSeconds(60));
            Assert.Equal("succeeded", JobClient.Status(healthy));
        }
    }

    private static async Task KillOnceRunningAsync(ServiceProcess service, TempDatabase db, string jobId, int attempt)
    {
        // Held at HeldAt, every epoch before it stored (the replayed ones of a resumed attempt included).
        await service.Client.WaitForJobAsync(jobId, j => JobClient.Status(j) == "running" && JobClient.EpochsCompleted(j) == HeldAt - 1, TimeSpan.FromSeconds(30));
        Assert.Equal(attempt, db.JobAttempts(jobId));
        await service.KillAsync();
    }
}
