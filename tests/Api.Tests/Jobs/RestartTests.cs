using System.Text.Json.Nodes;
using BackpropService.Api.Testing;
using Microsoft.Data.Sqlite;

namespace BackpropService.Api.Tests.Jobs;

/// <summary>A job survives the service: queued stays queued, running resumes from its checkpoint, history stays whole.</summary>
public sealed class RestartTests
{
    private const int LongEpochs = 3_000;
    // The running job is held here when the host stops: the stop checkpoints it at this epoch. (Past the 2,000 epochs
    // of the job that finishes first, which the hold must not stop.)
    private const int HeldAt = 2_500;

    [Fact]
    public async Task RestartOnSameDatabaseFinishesQueuedAndRunningJobsWithoutGapsOrDuplicates()
    {
        var path = Path.Combine(Path.GetTempPath(), $"backprop-restart-{Guid.NewGuid():N}.db");
        var settings = new Dictionary<string, string?>
        {
            ["Training:MaxConcurrentJobs"] = "1",
            // The held job reaches its epoch boundary when the stop gives up waiting for it: soon.
            ["Training:ShutdownCheckpointTimeout"] = "00:00:00.500",
        };
        try
        {
            string running, queued, finished;
            JsonNode finishedPrediction;
            var first = new BackpropApplication(path, settings);
            using (var hold = EpochHold.Arm(first.InstanceName, HeldAt)) // released after the host stopped
            await using (first)
            {
                var client = first.CreateClient();
                var networkId = await client.CreateAsync("/api/networks", ApiClient.XorNetwork);
                var datasetId = await client.CreateAsync("/api/datasets", ApiClient.RepeatedXorDataset(16));
                finished = await client.CreateJobAsync(networkId, datasetId, 2000);
                await client.WaitForStatusAsync(finished, "succeeded");
                finishedPrediction = (await client.SendAsync(HttpMethod.Post, $"/api/jobs/{finished}/predict", """{ "inputs": [[0,1],[1,1]] }""")).Body!;

                running = await client.CreateJobAsync(networkId, datasetId, LongEpochs);
                queued = await client.CreateJobAsync(networkId, datasetId, 300);
                // Stop the host while the job is held mid-training, its history stored up to the held epoch.
                Assert.Equal(running, await hold.Reached.WaitAsync(TimeSpan.FromSeconds(60)));
                await client.WaitForJobAsync(running, j => JobClient.EpochsCompleted(j) == HeldAt - 1);
                Assert.Equal("queued", (await client.GetJsonAsync($"/api/jobs/{queued}"))["status"]!.GetValue<string>());
            }

            var stoppedAt = Scalar(path, $"SELECT EpochsCompleted FROM Jobs WHERE Id = '{running}'");
            Assert.Equal(HeldAt, stoppedAt);
            Assert.Equal("Running", ScalarText(path, $"SELECT Status FROM Jobs WHERE Id = '{running}'"));
            // Simulate a crash of another instance: its lease still looks held but has expired, and epochs beyond its
            // last checkpoint were flushed, with costs the resumed run does not reproduce (123.0, little-endian). The
            // next start replays from the checkpoint, finds the stored costs differ and rewrites the history from
            // there: no gap, no duplicate, none of the foreign costs.
            Execute(path, $"UPDATE Jobs SET LeaseOwner = 'crashed-elsewhere', LeaseExpiresAt = '2000-01-01 00:00:00' WHERE Id = '{running}'");
            var foreign = string.Concat(Enumerable.Repeat("0000000000C05E40", 50));
            Execute(path, $"INSERT INTO LossChunks (JobId, FirstEpoch, LastEpoch, Costs) VALUES ('{running}', {stoppedAt + 1}, {stoppedAt + 50}, X'{foreign}')");

            await using (var second = new BackpropApplication(path, settings))
            {
                var client = second.CreateClient();
                var job = await client.WaitForStatusAsync(running, "succeeded", 120);
                Assert.Equal("succeeded", job["status"]!.GetValue<string>());
                // A graceful stop does not count as a failed attempt; the resume is this job's one counted attempt.
                Assert.Equal(1, job["attempts"]!.GetValue<int>());
                var history = await client.HistoryAsync(running);
                Assert.Equal(Enumerable.Range(1, LongEpochs), history.Select(p => p.Epoch));
                Assert.DoesNotContain(history, p => p.Cost == 123.0);

                var other = await client.WaitForStatusAsync(queued, "succeeded", 60);
                Assert.Equal("succeeded", other["status"]!.GetValue<string>());
                Assert.Equal(Enumerable.Range(1, 300), (await client.HistoryAsync(queued)).Select(p => p.Epoch));

                // The job finished before the restart is intact, with identical predictions.
                Assert.Equal(Enumerable.Range(1, 2000), (await client.HistoryAsync(finished)).Select(p => p.Epoch));
                var again = (await client.SendAsync(HttpMethod.Post, $"/api/jobs/{finished}/predict", """{ "inputs": [[0,1],[1,1]] }""")).Body!;
                Assert.Equal(finishedPrediction.ToJsonString(), again.ToJsonString());
            }
        }
        finally
        {
            BackpropApplication.DeleteDatabase(path);
        }
    }

    private static long Scalar(string path, string sql) => Convert.ToInt64(Query(path, sql));

    private static string ScalarText(string path, string sql) => Convert.ToString(Query(path, sql))!;

    private static object? Query(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
