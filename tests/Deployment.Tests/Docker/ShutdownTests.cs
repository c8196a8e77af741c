using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace BackpropService.Deployment.Tests.Docker;

/// <summary>
/// <c>docker stop</c> and <c>docker rm</c>: SIGTERM checkpoints the running job within the grace period, and a new
/// container on the same volume has every stored job and resumes the stopped one from its checkpoint.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class ShutdownTests(DockerImageFixture fixture, ITestOutputHelper output) : IDisposable
{
    // More epochs than the test ever waits for (minutes of training): the stop lands mid-job however fast the machine,
    // and after the resume the test cancels the job rather than waiting for its end.
    private const int LongEpochs = 1_000_000;
    private const int ShortEpochs = 1_000;
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(10); // docker stop's default

    private readonly string _copy = Directory.CreateTempSubdirectory("backprop-volume-").FullName;

    [DockerFact]
    public async Task DockerStopCheckpointsTheRunningJobAndANewContainerOnTheVolumeHasEverythingAndResumesIt()
    {
        var image = await fixture.ImageAsync();
        output.WriteLine(image.Describe());
        await using var sandbox = await DockerSandbox.CreateAsync();
        var volume = await sandbox.CreateVolumeAsync();

        string finishedId, weights, longId, firstName;
        int seenBeforeStop;
        using (var first = await sandbox.RunAsync(image.Tag, volume))
        {
            firstName = first.Name;
            await first.WaitForHealthAsync(TimeSpan.FromSeconds(90));
            finishedId = await first.Client.PostJobAsync(TrainingApi.XorJob(ShortEpochs));
            Assert.Equal("succeeded", TrainingApi.Status(await first.Client.WaitForFinishAsync(finishedId, TimeSpan.FromSeconds(60))));
            weights = (await first.Client.GetJsonAsync($"/api/jobs/{finishedId}/weights")).ToJsonString();

            longId = await first.Client.PostJobAsync(TrainingApi.LongJob(LongEpochs));
            var running = await first.Client.WaitForJobAsync(longId,
                j => TrainingApi.Status(j) == "running" && TrainingApi.EpochsCompleted(j) > 0, TimeSpan.FromSeconds(60));
            seenBeforeStop = TrainingApi.EpochsCompleted(running);

            var clock = Stopwatch.StartNew();
            await DockerCli.RunAsync($"stop -t {GracePeriod.TotalSeconds} {first.Name}", TimeSpan.FromSeconds(60));
            output.WriteLine($"docker stop returned after {clock.Elapsed.TotalMilliseconds:F0} ms (grace period {GracePeriod.TotalSeconds} s)");
            // Exit code 0: the process ended on its own after SIGTERM; 137 would be the engine's SIGKILL at the deadline.
            Assert.Equal("0", await first.InspectAsync("{{.State.ExitCode}}"));
            Assert.True(clock.Elapsed < GracePeriod, $"stopped after {clock.Elapsed}");
            await DockerCli.RunAsync($"cp {first.Name}:/data {_copy}");
        }

        // What the stopped service left in the volume (read from a copy, so the volume keeps the app user's files as they
        // were): the job still to be resumed, checkpointed at its last stored epoch, the stop not counted as a crash.
        var stoppedAt = Scalar("SELECT EpochsCompleted FROM Jobs WHERE Id = $id", longId);
        Assert.True(stoppedAt >= seenBeforeStop && stoppedAt < LongEpochs, $"stopped at epoch {stoppedAt} of {LongEpochs}");
        Assert.Equal("Running", ScalarText("SELECT Status FROM Jobs WHERE Id = $id", longId));
        Assert.Equal(stoppedAt, Scalar("SELECT Epoch FROM Checkpoints WHERE JobId = $id", longId));
        Assert.Equal(0L, Scalar("SELECT Attempts FROM Jobs WHERE Id = $id", longId));
        output.WriteLine($"the long job was checkpointed at epoch {stoppedAt} of {LongEpochs}");

        await DockerCli.RunAsync($"rm {firstName}");
        using var second = await sandbox.RunAsync(image.Tag, volume);
        await second.WaitForHealthAsync(TimeSpan.FromSeconds(90));
        Assert.Equal(Enumerable.Range(1, ShortEpochs), await second.Client.HistoryEpochsAsync(finishedId));
        Assert.Equal(weights, (await second.Client.GetJsonAsync($"/api/jobs/{finishedId}/weights")).ToJsonString());

        // Resumed from the checkpoint by the new container (past the stop, one attempt in all), then cancelled: every
        // epoch it trained, in either container, stored exactly once.
        var resumed = await second.Client.WaitForJobAsync(longId, j => TrainingApi.EpochsCompleted(j) > stoppedAt, TimeSpan.FromSeconds(60));
        Assert.Equal("running", TrainingApi.Status(resumed));
        using (var cancel = await second.Client.PostAsync($"/api/jobs/{longId}/cancel", null))
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        var ended = await second.Client.WaitForFinishAsync(longId, TimeSpan.FromSeconds(60));
        Assert.Equal("cancelled", TrainingApi.Status(ended));
        Assert.Equal(1, ended["attempts"]!.GetValue<int>());
        Assert.Equal(Enumerable.Range(1, TrainingApi.EpochsCompleted(ended)), await second.Client.HistoryEpochsAsync(longId));
    }

    private long? Scalar(string sql, string jobId) => Query(sql, jobId) as long?;

    private string? ScalarText(string sql, string jobId) => Query(sql, jobId) as string;

    private object? Query(string sql, string jobId)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_copy, "data", "backprop.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", jobId);
        return command.ExecuteScalar();
    }

    public void Dispose() => Directory.Delete(_copy, recursive: true);
}
