using System.Text.Json.Nodes;
using BackpropService.Api.Datasets;
using BackpropService.Api.Jobs;
using BackpropService.Api.Networks;
using BackpropService.Api.Testing;
using BackpropService.Engine;
using BackpropService.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests.Jobs;

/// <summary>
/// Early stopping through the service: a job it ends has succeeded, the job object says when and why, and the job's
/// weights are the best epoch's (restoreBest), also across a restart after the best epoch.
/// </summary>
public sealed class EarlyStoppingJobTests
{
    // A rate so small that no epoch improves the cost by more than minDelta: a plateau from epoch 1, so the best epoch
    // is 1 and the job stops after Patience more.
    private const int Patience = 40;
    private const string Plateau = """, "earlyStopping": { "patience": 40, "minDelta": 0.001 }""";

    [Fact]
    public async Task APlateauJobStopsEarlyAsSucceededWithTheBestEpochsWeights()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var jobId = await client.CreateJobAsync(networkId, datasetId, 1000, learningRate: 1e-6, extra: Plateau);

        var job = await client.WaitForFinishAsync(jobId);
        Assert.Equal("succeeded", JobClient.Status(job));
        Assert.True(job["stoppedEarly"]!.GetValue<bool>());
        Assert.Equal(1, job["bestEpoch"]!.GetValue<int>());
        Assert.Equal(1 + Patience, JobClient.EpochsCompleted(job));
        var history = await client.HistoryAsync(jobId);
        Assert.Equal(Enumerable.Range(1, 1 + Patience), history.Select(p => p.Epoch));
        Assert.Equal(history[0].Cost, job["bestMetric"]!.GetValue<double>());
        await AssertWeightsOfADirectRunAsync(app, client, jobId, bestEpoch: 1);
    }

    [Fact]
    public async Task AJobThatKeepsImprovingTrainsEveryEpochAndAJobWithoutEarlyStoppingHasNoBestEpoch()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        // At rate 0.5 XOR's cost falls epoch after epoch over its first 300 epochs: 40 epochs without a fall never happen.
        var improving = await client.CreateJobAsync(networkId, datasetId, 300, extra: Plateau.Replace("0.001", "0"));
        var plain = await client.CreateJobAsync(networkId, datasetId, 300);

        var job = await client.WaitForFinishAsync(improving);
        Assert.Equal("succeeded", JobClient.Status(job));
        Assert.False(job["stoppedEarly"]!.GetValue<bool>());
        Assert.Equal(300, JobClient.EpochsCompleted(job));
        var bestEpoch = job["bestEpoch"]!.GetValue<int>();
        Assert.InRange(bestEpoch, 300 - Patience + 1, 300);
        await AssertWeightsOfADirectRunAsync(app, client, improving, bestEpoch);

        var other = await client.WaitForFinishAsync(plain);
        Assert.Equal("succeeded", JobClient.Status(other));
        Assert.False(other["stoppedEarly"]!.GetValue<bool>());
        Assert.Null(other["bestEpoch"]);
        Assert.Null(other["bestMetric"]);
    }

    [Fact]
    public async Task WithATargetCostAndEarlyStoppingWhicheverComesFirstEndsTheJob()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        // The target first: at rate 0.5 the cost keeps falling (patience is never used up) and passes 0.5 well before epoch 5,000.
        var targetFirst = await client.CreateJobAsync(networkId, datasetId, 5000,
            extra: """, "targetCost": 0.5, "earlyStopping": { "patience": 1000, "minDelta": 0 }""");
        // Early stopping first: on the plateau the cost never comes near the target.
        var plateauFirst = await client.CreateJobAsync(networkId, datasetId, 1000, learningRate: 1e-6,
            extra: Plateau + """, "targetCost": 0.001""");

        var target = await client.WaitForFinishAsync(targetFirst);
        Assert.Equal("succeeded", JobClient.Status(target));
        Assert.False(target["stoppedEarly"]!.GetValue<bool>());
        var epochs = JobClient.EpochsCompleted(target);
        Assert.InRange(epochs, 1, 4999);
        var history = await client.HistoryAsync(targetFirst);
        Assert.True(history[^1].Cost <= 0.5 && history.SkipLast(1).All(p => p.Cost > 0.5), "the job ends at the first epoch at or under the target");

        var plateau = await client.WaitForFinishAsync(plateauFirst);
        Assert.Equal("succeeded", JobClient.Status(plateau));
        Assert.True(plateau["stoppedEarly"]!.GetValue<bool>());
        Assert.Equal(1 + Patience, JobClient.EpochsCompleted(plateau));
        Assert.True(plateau["cost"]!.GetValue<double>() > 0.001);
    }

    [Fact]
    public async Task AJobStoppedAfterItsBestEpochAndResumedEndsWithTheSameBestWeightsAsAnUninterruptedRun()
    {
        const int heldAt = 25; // after the best epoch (1), before the stop (1 + Patience)
        var path = Path.Combine(Path.GetTempPath(), $"backprop-earlystop-{Guid.NewGuid():N}.db");
        // The held job reaches its epoch boundary when the stop gives up waiting for it: soon; it is checkpointed there.
        var settings = new Dictionary<string, string?> { ["Training:ShutdownCheckpointTimeout"] = "00:00:00.500" };
        try
        {
            string networkId, datasetId, resumed;
            var first = new BackpropApplication(path, settings);
            using (var hold = EpochHold.Arm(first.InstanceName, heldAt)) // released after the host stopped
            await using (first)
            {
                var client = first.CreateClient();
                (networkId, datasetId) = await client.CreateXorAsync();
                resumed = await client.CreateJobAsync(networkId, datasetId, 1000, learningRate: 1e-6, extra: Plateau);
                Assert.Equal(resumed, await hold.Reached.WaitAsync(TimeSpan.FromSeconds(60)));
                await client.WaitForJobAsync(resumed, j => JobClient.EpochsCompleted(j) == heldAt - 1);
            }
            // The stop checkpointed the job at the held epoch, past its best: the best weights must come from the checkpoint.
            Assert.Equal(heldAt, Convert.ToInt32(Query(path, $"SELECT Epoch FROM Checkpoints WHERE JobId = '{resumed}'")));

            await using var second = new BackpropApplication(path, settings);
            var again = second.CreateClient();
            var job = await again.WaitForFinishAsync(resumed);
            Assert.Equal("succeeded", JobClient.Status(job));
            Assert.True(job["stoppedEarly"]!.GetValue<bool>());
            Assert.Equal(1, job["bestEpoch"]!.GetValue<int>());

            var uninterrupted = await again.CreateJobAsync(networkId, datasetId, 1000, learningRate: 1e-6, extra: Plateau);
            var reference = await again.WaitForFinishAsync(uninterrupted);
            Assert.Equal(reference["bestMetric"]!.GetValue<double>(), job["bestMetric"]!.GetValue<double>());
            Assert.Equal(await again.HistoryAsync(uninterrupted), await again.HistoryAsync(resumed));
            Assert.Equal(Parameters(await again.GetJsonAsync($"/api/jobs/{uninterrupted}/weights")),
                Parameters(await again.GetJsonAsync($"/api/jobs/{resumed}/weights")));
            await AssertWeightsOfADirectRunAsync(second, again, resumed, bestEpoch: 1);
        }
        finally
        {
            BackpropApplication.DeleteDatabase(path);
        }
    }

    /// <summary>The job's /weights are those of epoch <paramref name="bestEpoch"/>, bit for bit as the engine trains them without early stopping.</summary>
    private static async Task AssertWeightsOfADirectRunAsync(BackpropApplication app, HttpClient client, string jobId, int bestEpoch)
    {
        var weights = await client.GetJsonAsync($"/api/jobs/{jobId}/weights");
        Assert.Equal(bestEpoch, weights["epoch"]!.GetValue<int>());

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BackpropDbContext>>().CreateDbContextAsync();
        var job = await db.Jobs.AsNoTracking().FirstAsync(j => j.Id == jobId);
        var network = NetworkStore.Load(await db.Networks.AsNoTracking().FirstAsync(n => n.Id == job.NetworkId));
        var data = DatasetStore.ToTrainingData(await db.Datasets.AsNoTracking().FirstAsync(d => d.Id == job.DatasetId));
        var settings = JobMapper.Settings(job) with { Epochs = bestEpoch, EarlyStopping = null };
        var session = TrainingSession.Start(network, data, settings);
        Assert.Equal(TrainingOutcome.Completed, session.Run(_ => { }, CancellationToken.None));

        var direct = session.Parameters().Select(p => (p.Name, string.Join(",", p.Value.Values.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))));
        Assert.Equal(direct, Parameters(weights));
    }

    private static object? Query(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>Each parameter's name and its values, written exactly.</summary>
    private static IEnumerable<(string, string)> Parameters(JsonNode weights) =>
        weights["parameters"]!.AsArray().Select(p => (p!["name"]!.GetValue<string>(),
            string.Join(",", p["values"]!.AsArray().Select(v => v!.GetValue<double>().ToString("R", System.Globalization.CultureInfo.InvariantCulture))))).ToList();
}
