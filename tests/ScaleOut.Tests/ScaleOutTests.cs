using System.Globalization;
using System.Text.Json;

namespace BackpropService.ScaleOut.Tests;

/// <summary>
/// Two real service processes on one PostgreSQL database and one Redis: jobs submitted to A, watched from both
/// replicas over SignalR, the training replica killed with SIGKILL, the job finished by the other one.
/// </summary>
public sealed class ScaleOutTests
{
    // About 15 s of training in a Debug build on two cores: long enough to kill its replica midway, and a check below
    // fails with "Raise SlowEpochs" rather than passing vacuously should a faster machine finish before the kill.
    private const int SlowEpochs = 800;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [ScaleOutFact]
    public async Task JobOfAKilledReplicaIsTakenOverAndFinishedWithACompleteHistoryStreamedToTheOtherReplica()
    {
        await using var cluster = await ScaleOutCluster.StartAsync();
        await using var watchA = await JobWatcher.ConnectAsync(cluster.A);
        await using var watchB = await JobWatcher.ConnectAsync(cluster.B);

        var slow = await Jobs.CreateAsync(cluster.A, TrainingJobs.Slow(SlowEpochs));
        var quick = await Jobs.CreateAsync(cluster.A, TrainingJobs.Quick(seed: 3));
        foreach (var job in new[] { slow, quick })
        {
            await watchA.SubscribeAsync(job);
            await watchB.SubscribeAsync(job);
        }

        // Let the slow job get going: some epochs, and a checkpoint (weights exist once one is stored).
        await Jobs.WaitAsync(cluster.A, slow, j => j.GetProperty("epochsCompleted").GetInt32() >= SlowEpochs / 10, Patience, () => cluster.Logs);
        var deadline = DateTime.UtcNow + Patience;
        while (!await Jobs.HasWeightsAsync(cluster.A, slow) && DateTime.UtcNow < deadline) await Task.Delay(50);
        var lease = await Jobs.LeaseAsync(cluster.Database, slow);
        Assert.True(lease is { Status: "Running", Owner: not null, Attempts: 1 }, $"expected the slow job mid-training; it is {lease}. Raise SlowEpochs.\n{cluster.Logs}");

        var training = cluster.Named(lease.Owner!);
        var survivor = cluster.Other(training);
        var survivorWatch = ReferenceEquals(survivor, cluster.A) ? watchA : watchB;
        // The survivor's client already received epochs that only the training replica computed: Redis carried them.
        Assert.True(await EventuallyAsync(() => survivorWatch.Stream(slow).Points.Count > 0),
            $"{survivor.Name}'s client received no epochs of the job {training.Name} trains");
        var epochAtKill = (await Jobs.GetAsync(survivor, slow)).GetProperty("epochsCompleted").GetInt32();

        training.Kill();

        var finished = await Jobs.WaitAsync(survivor, slow, j => j.GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled", Patience, () => survivor.Log);
        Assert.True(finished.GetProperty("status").GetString() == "succeeded", $"after the takeover: {finished}\n{survivor.Log}");
        Assert.Equal(SlowEpochs, finished.GetProperty("epochsCompleted").GetInt32());
        var after = await Jobs.LeaseAsync(cluster.Database, slow);
        Assert.True(after.Attempts == 2, $"one takeover, so two attempts; got {after.Attempts}");
        Assert.True(epochAtKill < SlowEpochs, $"the job had finished ({epochAtKill} epochs) before its replica was killed. Raise SlowEpochs.");

        // History: every epoch exactly once, in order, whichever replica trained it.
        var history = await Jobs.HistoryAsync(survivor, slow);
        Assert.Equal(Enumerable.Range(1, SlowEpochs), history.Select(p => p.Epoch));
        Assert.All(history, p => Assert.NotNull(p.Cost));

        // Stream on the survivor: every epoch after k arrived, each with the value /history holds. The epochs between
        // the last checkpoint and the kill are trained again after the takeover and may arrive twice: same values.
        var stream = survivorWatch.Stream(slow);
        var byEpoch = history.ToDictionary(p => p.Epoch, p => p.Cost);
        Assert.Equal(Enumerable.Range(stream.SubscribedAt + 1, SlowEpochs - stream.SubscribedAt), stream.Points.Select(p => p.Epoch).Distinct().Order());
        Assert.All(stream.Points, p => Assert.Equal(byEpoch[p.Epoch], p.Cost));
        Assert.True(await EventuallyAsync(() => stream.Statuses.LastOrDefault() == "succeeded"),
            $"statuses seen on {survivor.Name}: {string.Join(", ", stream.Statuses)}");

        // The other job finished too, on whichever replica ran it, with its whole history.
        var quickJob = await Jobs.WaitAsync(survivor, quick, j => j.GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled", Patience, () => survivor.Log);
        Assert.Equal("succeeded", quickJob.GetProperty("status").GetString());
        Assert.Equal(Enumerable.Range(1, 3000), (await Jobs.HistoryAsync(survivor, quick)).Select(p => p.Epoch));
    }

    [ScaleOutFact]
    public async Task QueuedJobsSubmittedToBothReplicasAreEachClaimedOnce()
    {
        await using var cluster = await ScaleOutCluster.StartAsync();
        var ids = new List<string>();
        for (var i = 0; i < 8; i++)
            ids.Add(await Jobs.CreateAsync(i % 2 == 0 ? cluster.A : cluster.B, TrainingJobs.Quick(seed: i)));

        foreach (var id in ids)
        {
            var job = await Jobs.WaitAsync(cluster.B, id, j => j.GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled", Patience, () => cluster.Logs);
            Assert.Equal("succeeded", job.GetProperty("status").GetString());
            Assert.Equal(1, (await Jobs.LeaseAsync(cluster.Database, id)).Attempts);
            Assert.Equal(Enumerable.Range(1, 3000), (await Jobs.HistoryAsync(cluster.A, id)).Select(p => p.Epoch));
        }

        // Each replica counts its own claims at /metrics: together exactly one per job, and every epoch once.
        var a = await MetricsAsync(cluster.A);
        var b = await MetricsAsync(cluster.B);
        Assert.True(Sum(a, "backprop_jobs_claimed_total") + Sum(b, "backprop_jobs_claimed_total") == ids.Count,
            $"claims: {cluster.A.Name} {Sum(a, "backprop_jobs_claimed_total")}, {cluster.B.Name} {Sum(b, "backprop_jobs_claimed_total")}");
        Assert.Equal(ids.Count * 3000, Sum(a, "backprop_epochs_total") + Sum(b, "backprop_epochs_total"));
        Assert.Equal(ids.Count, Sum(a, "backprop_jobs_finished_total") + Sum(b, "backprop_jobs_finished_total"));
    }

    private static async Task<string> MetricsAsync(Replica replica)
    {
        using var response = await replica.Http.GetAsync("/metrics");
        Assert.True(response.IsSuccessStatusCode, $"/metrics on {replica.Name}: {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The sum of a Prometheus metric's samples (all label sets); 0 when it has none yet.</summary>
    private static double Sum(string exposition, string metric) => exposition.Split('\n')
        .Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal) || line.StartsWith(metric + " ", StringComparison.Ordinal))
        .Sum(line => double.Parse(line.Split(' ')[^1], CultureInfo.InvariantCulture));

    private static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        for (var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10); DateTime.UtcNow < deadline; await Task.Delay(50))
            if (condition()) return true;
        return condition();
    }
}
