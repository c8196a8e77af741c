using System.Net;

namespace BackpropService.Reliability.Tests.Harness;

/// <summary>A job left running by a service process killed (SIGKILL) while the job was held at a known epoch.</summary>
public static class AbandonedJob
{
    /// <summary>
    /// Trains the job until it is held at <paramref name="killAt"/> with epochs 1…<paramref name="killAt"/> − 1
    /// stored, then kills its process: the stored history ends at <paramref name="killAt"/> − 1, its only
    /// checkpoint is at epoch 1. The dead owner's lease is then pinned an hour ahead, so no successor takes the job
    /// over before the test calls <see cref="LetLeaseLapse"/>: it can start one and subscribe to it first, however
    /// slow the machine (a successor's re-send, held under the job's stream gate, would otherwise block Subscribe).
    /// </summary>
    public static async Task<(string JobId, string NetworkId, string DatasetId)> CreateAsync(TempDatabase db, int epochs, int killAt)
    {
        using var hold = new ProcessHold(killAt);
        await using var owner = await ServiceProcess.StartAsync(db.Path, db.InstanceName + "-a", new Dictionary<string, string>(hold.Settings)
        {
            // A checkpoint only at the first epoch of the attempt: at the kill the stored history runs far ahead of it.
            ["Training__CheckpointInterval"] = "01:00:00",
        });
        var (networkId, datasetId) = await owner.Client.CreateNetworkAndDatasetAsync();
        var jobId = await owner.Client.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, epochs), HttpStatusCode.Accepted);
        Assert.Equal(jobId, await hold.ReachedAsync(TimeSpan.FromSeconds(60), () => owner.RecentOutput));
        await owner.Client.WaitForJobAsync(jobId, j => JobClient.EpochsCompleted(j) == killAt - 1);
        await owner.KillAsync();
        SetLeaseExpiry(db, jobId, DateTime.UtcNow.AddHours(1));
        return (jobId, networkId, datasetId);
    }

    /// <summary>Lets the dead owner's lease run out now: the next claim of a live instance takes the job over.</summary>
    public static void LetLeaseLapse(TempDatabase db, string jobId) => SetLeaseExpiry(db, jobId, DateTime.UtcNow.AddMinutes(-1));

    private static void SetLeaseExpiry(TempDatabase db, string jobId, DateTime expires) =>
        db.Scalar("UPDATE Jobs SET LeaseExpiresAt = $expires WHERE Id = $id", ("$expires", expires), ("$id", jobId));
}
