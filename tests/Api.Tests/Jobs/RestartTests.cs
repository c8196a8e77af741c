using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace BackpropService.Api.Tests.Jobs;

/// <summary>A job survives the service: queued stays queued, running resumes from its checkpoint, history stays whole.</summary>
public sealed class RestartTests
{
    private const int LongEpochs = 30_000;

    [Fact]
    public async Task RestartOnSameDatabaseFinishesQueuedAndRunningJobsWithoutGapsOrDuplicates()
    {
        var path = Path.Combine(Path.GetTempPath(), $"backprop-restart-{Guid.NewGuid():N}.db");
        var settings = new Dictionary<string, string?> { ["Training:MaxConcurrentJobs"] = "1" };
        try
        {
            string running, queued, finished;
            JsonNode finishedPrediction;
            await using (var first = new BackpropApplication(path, settings))
            {
                var client = first.CreateClient();
                var networkId = await client.CreateAsync("/api/networks", ApiClient.XorNetwork);
                // 64 rows: long enough per epoch that the job is surely still running when the host stops.
                var datasetId = await client.CreateAsync("/api/datasets", ApiClient.RepeatedXorDataset(16));
                finished = await client.CreateJobAsync(networkId, datasetId, 2000);
                await client.WaitForStatusAsync(finished, "succeeded");
                finishedPrediction = (await client.SendAsync(HttpMethod.Post, $"/api/jobs/{finished}/predict", """{ "inputs": [[0,1],[1,1]] }""")).Body!;

                running = await client.CreateJobAsync(networkId, datasetId, LongEpochs);
                queued = await client.CreateJobAsync(networkId, datasetId, 300);
                // Wait for a checkpoint (weights exist) and some history beyond it.
                await client.WaitForJobAsync(running, j => j["epochsCompleted"]!.GetValue<int>() > 3_000);
                Assert.Equal("queued", (await client.GetJsonAsync($"/api/jobs/{queued}"))["status"]!.GetValue<string>());
            }

            var stoppedAt = Scalar(path, $"SELECT EpochsCompleted FROM Jobs WHERE Id = '{running}'");
            Assert.True(stoppedAt < LongEpochs, "the job should have been stopped mid-training");
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
                var history = await client.HistoryPagesAsync(running);
                Assert.Equal(LongEpochs, history.Count);
                Assert.Equal(Enumerable.Range(1, LongEpochs), history);
                var costs = await client.HistoryAsync(running);
                Assert.DoesNotContain(costs, p => p.Cost == 123.0);

                var other = await client.WaitForStatusAsync(queued, "succeeded", 60);
                Assert.Equal("succeeded", other["status"]!.GetValue<string>());
                Assert.Equal(Enumerable.Range(1, 300), await client.HistoryPagesAsync(queued));

                // The job finished before the restart is intact, with identical predictions.
                Assert.Equal(Enumerable.Range(1, 2000), await client.HistoryPagesAsync(finished));
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

internal static class HistoryPaging
{
    /// <summary>Reads the whole history page by page (?after=), as a client of a long job would.</summary>
    public static async Task<List<int>> HistoryPagesAsync(this HttpClient client, string jobId)
    {
        var epochs = new List<int>();
        var after = 0;
        while (true)
        {
            var page = await client.GetJsonAsync($"/api/jobs/{jobId}/history?after={after}&limit=100000");
            var points = page["points"]!.AsArray().Select(p => p!["epoch"]!.GetValue<int>()).ToList();
            if (points.Count == 0) return epochs;
            epochs.AddRange(points);
            after = points[^1];
        }
    }
}
