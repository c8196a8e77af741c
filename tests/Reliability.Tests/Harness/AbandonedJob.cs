using System.Net;

namespace BackpropService.Reliability.Tests.Harness;

/// <summary>A job left running by a service process killed (SIGKILL) once the job had trained a tenth of its epochs.</summary>
public static class AbandonedJob
{
    public static async Task<(string JobId, string NetworkId, string DatasetId)> CreateAsync(TempDatabase db, int epochs)
    {
        await using var owner = await ServiceProcess.StartAsync(db.Path, db.InstanceName + "-a", new Dictionary<string, string>
        {
            // The dead owner's lease outlives a successor's start-up, so the successor is subscribed to before it claims.
            ["Training__LeaseDuration"] = "00:00:15",
            // A checkpoint only at the first epoch of the attempt: at the kill the stored history runs far ahead of it.
            ["Training__CheckpointInterval"] = "01:00:00",
        });
        var (networkId, datasetId) = await owner.Client.CreateNetworkAndDatasetAsync();
        var jobId = await owner.Client.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, epochs), HttpStatusCode.Accepted);
        await owner.Client.WaitForJobAsync(jobId, j => Workload.EpochsCompleted(j) >= epochs / 10, TimeSpan.FromSeconds(60));
        await owner.KillAsync();
        return (jobId, networkId, datasetId);
    }
}
