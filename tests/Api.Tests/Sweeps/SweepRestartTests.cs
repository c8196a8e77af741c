using BackpropService.Api.Testing;
using Microsoft.Data.Sqlite;

namespace BackpropService.Api.Tests.Sweeps;

/// <summary>A sweep survives the service: its counts and status are read from its trials, so they are right after a crash too.</summary>
public sealed class SweepRestartTests
{
    private const int Epochs = 100, HeldAt = 50;

    [Fact]
    public async Task AfterACrashMidSweepTheTrialsResumeAndTheCountsAddUp()
    {
        var path = Path.Combine(Path.GetTempPath(), $"backprop-sweep-restart-{Guid.NewGuid():N}.db");
        var settings = new Dictionary<string, string?>
        {
            ["Training:MaxConcurrentJobs"] = "1",
            ["Training:ShutdownCheckpointTimeout"] = "00:00:00.500",
        };
        try
        {
            string sweepId, held;
            var first = new BackpropApplication(path, settings);
            using (var hold = EpochHold.Arm(first.InstanceName, HeldAt)) // released after the host stopped
            await using (first)
            {
                var client = first.CreateClient();
                var (networkId, datasetId) = await client.CreateXorAsync();
                sweepId = (await client.CreateSweepAsync(SweepClient.Xor(networkId, datasetId, Epochs, """ "grid": { "seed": [1, 2, 3] } """)))["id"]!.GetValue<string>();
                held = await hold.Reached.WaitAsync(TimeSpan.FromSeconds(60));
                var sweep = await client.GetSweepAsync(sweepId);
                Assert.Equal(("running", 1, 2), (SweepClient.Status(sweep), SweepClient.Count(sweep, "running"), SweepClient.Count(sweep, "queued")));
            }
            // As if the process had been killed: the held trial still looks running, under a lease of another life that expired.
            using (var connection = new SqliteConnection($"Data Source={path}"))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = $"UPDATE Jobs SET LeaseOwner = 'crashed-elsewhere', LeaseExpiresAt = '2000-01-01 00:00:00' WHERE Id = '{held}'";
                Assert.Equal(1, command.ExecuteNonQuery());
            }

            await using var second = new BackpropApplication(path, settings);
            var again = second.CreateClient();
            var done = await again.WaitForSweepAsync(sweepId, SweepClient.Ended);
            Assert.Equal("succeeded", SweepClient.Status(done));
            Assert.Equal((3, 3, 0, 0), (SweepClient.Count(done, "total"), SweepClient.Count(done, "succeeded"),
                SweepClient.Count(done, "running"), SweepClient.Count(done, "queued")));
            foreach (var trial in await again.TrialsAsync(sweepId))
                Assert.Equal(Enumerable.Range(1, Epochs), (await again.HistoryAsync(trial["jobId"]!.GetValue<string>())).Select(p => p.Epoch));
        }
        finally
        {
            BackpropApplication.DeleteDatabase(path);
        }
    }
}
