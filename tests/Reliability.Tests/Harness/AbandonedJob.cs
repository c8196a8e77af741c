using System.Net;

namespace BackpropService.Reliability.Tests.Harness;

/// <summary>A job left running by a service process killed (SIGKILL) while the job was held at a known epoch.</summary>
public static class AbandonedJob
{
    /// <summary>
    /// Trains the job until it is held at <paramref name="killAt"/> with epochs 1…<paramref name="killAt"/> − 1
    /// stored, then kills its process: the stored history ends at <paramref name="killAt"/> − 1, its only
    /// checkpoint is at epoch 1.
    /// </summary>
    public static async Task<(string JobId, string NetworkId, string DatasetId)> CreateAsync(TempDatabase db, int epochs, int killAt)
    {
        using var hold = new ProcessHold(killAt);
        await using var owner = await ServiceProcess.StartAsync(db.Path, db.InstanceName + "-a", new Dictionary<string, string>(hold.Settings)
        {
            ["Training__LeaseDuration"] = "00:00:15",
            // A checkpoint only at the first epoch of the attempt: at the kill the stored history runs far ahead of it.
            ["Training__CheckpointInterval"] = "01:00:00",
        });
        var (networkId, datasetId) = await owner.Client.CreateNetworkAndDatasetAsync();
        var jobId = await owner.Client.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, epochs), HttpStatusCode.Accepted);
        Assert.Equal(jobId, await hold.ReachedAsync(TimeSpan.FromSeconds(60), () => owner.RecentOutput));
        await owner.Client.WaitForJobAsync(jobId, j => JobClient.EpochsCompleted(j) == killAt - 1);
        // Killed just after a lease renewal (the held job's flush loop renews every LeaseDuration / 3), so the dead
        // owner's lease has nearly all its 15 s left: a successor starts and is subscribed to before it can claim.
        var expires = db.Scalar("SELECT LeaseExpiresAt FROM Jobs WHERE Id = $id", ("$id", jobId));
        await Wait.UntilAsync(() => !Equals(db.Scalar("SELECT LeaseExpiresAt FROM Jobs WHERE Id = $id", ("$id", jobId)), expires), TimeSpan.FromSeconds(30));
        await owner.KillAsync();
        return (jobId, networkId, datasetId);
    }
}
