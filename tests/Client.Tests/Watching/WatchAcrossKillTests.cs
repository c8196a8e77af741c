using System.Text.Json.Nodes;
using BackpropService.Client.Models;
using BackpropService.Client.Tests.Harness;
using Xunit.Abstractions;

namespace BackpropService.Client.Tests.Watching;

/// <summary>
/// WatchAsync against a real Kestrel process that is SIGKILLed mid-job and restarted on the same database and port:
/// the watcher reconnects, resumes from /history and still yields every epoch exactly once, in order.
/// </summary>
public sealed class WatchAcrossKillTests(ITestOutputHelper output)
{
    // A 2-16-16-1 net in batches of 8 trains a few thousand epochs a second here: long enough that the kill lands
    // mid-job, and the restart must resume it from a checkpoint.
    private const int Epochs = 12_000;

    [Fact]
    public async Task AWatcherYieldsEveryEpochOnceInOrderAcrossAKillAndRestartOfTheService()
    {
        var database = Path.Combine(Path.GetTempPath(), $"backprop-client-{Guid.NewGuid():N}.db");
        var instance = "client-" + Guid.NewGuid().ToString("N")[..8];
        var port = ServiceProcess.FreePort();
        try
        {
            await using var first = await ServiceProcess.StartAsync(database, port, instance);
            using var client = new BackpropClient(new BackpropClientOptions { BaseAddress = first.Address, MaxRetryAttempts = 8 });
            var job = await client.CreateJobAsync(Job());

            var watched = new List<EpochPoint>();
            var someYielded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
            var watching = Task.Run(async () =>
            {
                await foreach (var point in client.WatchAsync(job.Id, timeout.Token))
                {
                    lock (watched) watched.Add(point);
                    if (point.Epoch == 300) someYielded.TrySetResult();
                }
            });

            await someYielded.Task.WaitAsync(timeout.Token);
            await first.KillAsync();
            int killedAt;
            lock (watched) killedAt = watched.Count;
            output.WriteLine($"killed after the watcher had {killedAt} epochs");

            await using var second = await ServiceProcess.StartAsync(database, port, instance);
            await watching.WaitAsync(timeout.Token);

            Assert.Equal(Enumerable.Range(1, Epochs), watched.Select(p => p.Epoch));
            Assert.Equal(await client.GetHistoryAsync(job.Id).ToListAsync(), watched);
            // The kill did land mid-job: the job needed a second attempt.
            using var http = new HttpClient { BaseAddress = second.Address };
            var raw = JsonNode.Parse(await http.GetStringAsync($"/api/jobs/{job.Id}"))!;
            Assert.Equal("succeeded", raw["status"]!.GetValue<string>());
            Assert.Equal(2, raw["attempts"]!.GetValue<int>());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { database, database + "-wal", database + "-shm" }) File.Delete(file);
        }
    }

    private static JobRequest Job()
    {
        var features = new double[64][];
        var targets = new double[64][];
        for (var i = 0; i < 64; i++)
        {
            var angle = Math.PI * (i % 32) / 31.0;
            var upper = i < 32;
            features[i] = upper ? [Math.Cos(angle), Math.Sin(angle)] : [1 - Math.Cos(angle), 0.5 - Math.Sin(angle)];
            targets[i] = [upper ? 1 : 0];
        }
        return new JobRequest
        {
            Network = new NetworkDefinition
            {
                Name = "moons", Inputs = 2, Loss = "binary_cross_entropy",
                Layers = [new() { Units = 16, Activation = "tanh" }, new() { Units = 16, Activation = "tanh" }, new() { Units = 1, Activation = "sigmoid" }],
            },
            Dataset = new DatasetDefinition { Name = "moons", Features = features, Targets = targets },
            Epochs = Epochs, LearningRate = 0.01, Optimizer = "adam", BatchSize = 8, Shuffle = true, Seed = 1234,
        };
    }
}
