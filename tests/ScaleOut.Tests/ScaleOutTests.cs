using System.Globalization;

namespace BackpropService.ScaleOut.Tests;

/// <summary>
/// Two real service processes on one PostgreSQL database and one Redis: jobs submitted to A, watched from both
/// replicas over SignalR, the training replica killed with SIGKILL, the job finished by the other one.
/// </summary>
public sealed class ScaleOutTests
{
    // The slow job trains ~50 epochs a second in a Debug build on two cores; it is held at HeldAt on whichever
    // replica claims it, and that replica is killed there.
    private const int SlowEpochs = 200;
    private const int HeldAt = 100;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [ScaleOutFact]
    public async Task JobOfAKilledReplicaIsTakenOverAndFinishedWithACompleteHistoryStreamedToTheOtherReplica()
    {
        using var hold = new ProcessHold(HeldAt);
        // A held job renews its lease only every LeaseDuration / 3 (a training one with every flush): 6 s rather than
        // 3 s, so a loaded machine's stall of a second or two does not hand the held job over before the kill.
        await using var cluster = await ScaleOutCluster.StartAsync(new Dictionary<string, string>(hold.Settings) { ["Training__LeaseDuration"] = "00:00:06" });
        await using var watchA = await StreamWatcher.ConnectAsync(cluster.A.BaseAddress);
        await using var watchB = await StreamWatcher.ConnectAsync(cluster.B.BaseAddress);

        var slow = await cluster.A.Http.CreateJobAsync(TrainingJobs.Slow(SlowEpochs));
        var quick = await cluster.A.Http.CreateJobAsync(TrainingJobs.Quick(seed: 3));
        foreach (var job in new[] { slow, quick })
        {
            await watchA.SubscribeAsync(job);
            await watchB.SubscribeAsync(job);
        }

        // The slow job held mid-training, its epochs before HeldAt stored, and a checkpoint (the one every attempt
        // takes at its first epoch) with them: weights exist.
        await hold.ReachedAsync(HeldAt, Patience, () => cluster.Logs, slow);
        await cluster.A.Http.WaitForJobAsync(slow, j => JobClient.EpochsCompleted(j) == HeldAt - 1, Patience, () => cluster.Logs);
        Assert.True(await Jobs.HasWeightsAsync(cluster.A, slow), "no weights stored with the slow job's history");
        var lease = await Jobs.LeaseAsync(cluster.Database, slow);
        Assert.True(lease is { Status: "Running", Owner: not null, Attempts: 1 }, $"expected the slow job mid-training; it is {lease}.\n{cluster.Logs}");

        var training = cluster.Named(lease.Owner!);
        var survivor = cluster.Other(training);
        var survivorWatch = ReferenceEquals(survivor, cluster.A) ? watchA : watchB;
        // The survivor's client received the epochs that only the training replica computed: Redis carried them.
        await Wait.UntilAsync(() => survivorWatch.Stream(slow).Points is [.., { Epoch: HeldAt - 1 }], TimeSpan.FromSeconds(30),
            () => $"{survivor.Name}'s client to receive the epochs of the job {training.Name} trains");

        training.Kill();
        hold.Release(); // the survivor's attempt goes past HeldAt

        var finished = await survivor.Http.WaitForFinishAsync(slow, Patience, () => survivor.Log);
        Assert.True(JobClient.Status(finished) == "succeeded", $"after the takeover: {finished}\n{survivor.Log}");
        Assert.Equal(SlowEpochs, JobClient.EpochsCompleted(finished));
        var after = await Jobs.LeaseAsync(cluster.Database, slow);
        Assert.True(after.Attempts == 2, $"one takeover, so two attempts; got {after.Attempts}");

        // History: every epoch exactly once, in order, whichever replica trained it.
        var history = await survivor.Http.HistoryAsync(slow);
        Assert.Equal(Enumerable.Range(1, SlowEpochs), history.Select(p => p.Epoch));
        Assert.All(history, p => Assert.NotNull(p.Cost));

        // Stream on the survivor: every epoch after k arrived, each with the value /history holds. The epochs between
        // the last checkpoint and the kill are trained again after the takeover and may arrive twice: same values.
        var stream = survivorWatch.Stream(slow);
        // The end is stored with the last epochs, before they are sent; the `status` message follows them.
        await Wait.UntilAsync(() => stream.Statuses is [.., "succeeded"], TimeSpan.FromSeconds(30),
            () => $"statuses seen on {survivor.Name}: {string.Join(", ", stream.Statuses)}");
        var byEpoch = history.ToDictionary(p => p.Epoch);
        Assert.Equal(Enumerable.Range(stream.SubscribedAt + 1, SlowEpochs - stream.SubscribedAt), stream.Points.Select(p => p.Epoch).Distinct().Order());
        Assert.All(stream.Points, p => Assert.Equal(byEpoch[p.Epoch], p));

        // The other job finished too, on whichever replica ran it, with its whole history.
        var quickJob = await survivor.Http.WaitForFinishAsync(quick, Patience, () => survivor.Log);
        Assert.Equal("succeeded", JobClient.Status(quickJob));
        Assert.Equal(Enumerable.Range(1, 3000), (await survivor.Http.HistoryAsync(quick)).Select(p => p.Epoch));
    }

    [ScaleOutFact]
    public async Task QueuedJobsSubmittedToBothReplicasAreEachClaimedOnce()
    {
        await using var cluster = await ScaleOutCluster.StartAsync();
        var ids = new List<string>();
        for (var i = 0; i < 8; i++)
            ids.Add(await (i % 2 == 0 ? cluster.A : cluster.B).Http.CreateJobAsync(TrainingJobs.Quick(seed: i)));

        foreach (var id in ids)
        {
            var job = await cluster.B.Http.WaitForFinishAsync(id, Patience, () => cluster.Logs);
            Assert.Equal("succeeded", JobClient.Status(job));
            var attempts = (await Jobs.LeaseAsync(cluster.Database, id)).Attempts;
            Assert.True(attempts == 1, $"job {id}: {attempts} attempts\n{cluster.Logs}");
            Assert.Equal(Enumerable.Range(1, 3000), (await cluster.A.Http.HistoryAsync(id)).Select(p => p.Epoch));
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
}
