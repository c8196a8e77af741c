using System.Text.Json;
using BackpropService.Client.Models;
using BackpropService.Client.Tests.Harness;

namespace BackpropService.Client.Tests.Watching;

/// <summary>
/// WatchSweepAsync against a real Kestrel process that is SIGKILLed mid-sweep and restarted on the same database and
/// port: the watcher reconnects, subscribes again and follows the sweep to its end (here a cancel made after the restart).
/// </summary>
public sealed class WatchSweepAcrossKillTests
{
    [Fact]
    public async Task ASweepWatcherReconnectsAfterAKillAndRestartAndSeesTheSweepEnd()
    {
        var database = Path.Combine(Path.GetTempPath(), $"backprop-client-{Guid.NewGuid():N}.db");
        var instance = "client-" + Guid.NewGuid().ToString("N")[..8];
        var port = ServiceProcess.FreePort();
        try
        {
            await using var first = await ServiceProcess.StartAsync(database, port, instance);
            using var client = new BackpropClient(new BackpropClientOptions { BaseAddress = first.Address, MaxRetryAttempts = 8 });
            var sweep = await client.CreateSweepAsync(new SweepRequest
            {
                Base = Xor.Job(epochs: 5_000_000),
                Grid = new Dictionary<string, JsonElement[]> { ["seed"] = SweepValues.Of(1, 2) },
                MaxConcurrent = 1,
            });
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await using var updates = client.WatchSweepAsync(sweep.Id, timeout.Token).GetAsyncEnumerator(timeout.Token);
            while (await updates.MoveNextAsync())
                if (updates.Current is SweepUpdate.TrialChanged { Trial: { Status: JobStatus.Running, EpochsCompleted: > 0 } }) break;

            await first.KillAsync();
            await using var second = await ServiceProcess.StartAsync(database, port, instance);
            var next = updates.MoveNextAsync(); // the watcher is now reconnecting, or has
            await client.CancelSweepAsync(sweep.Id, timeout.Token);
            var after = new List<SweepUpdate>();
            if (await next) after.Add(updates.Current);
            while (await updates.MoveNextAsync()) after.Add(updates.Current);

            var last = Assert.IsType<SweepUpdate.SweepChanged>(after[^1]).Sweep;
            Assert.Equal(SweepStatus.Cancelled, last.Status);
            Assert.Equal(2, last.Trials.Total);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { database, database + "-wal", database + "-shm" }) File.Delete(file);
        }
    }
}
