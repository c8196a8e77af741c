using System.Diagnostics;

namespace BackpropService.LoadTest;

/// <summary>
/// While <paramref name="trainingJobs"/> long jobs keep the workers busy, <paramref name="clients"/> concurrent clients
/// read GET /api/jobs/{id} as fast as they can for <paramref name="duration"/>: the API must hold its latency.
/// </summary>
public static class LatencyScenario
{
    public sealed record Result(long Requests, long Errors, double RequestsPerSecond, double P50Ms, double P95Ms, double P99Ms, double MaxMs, int JobsTraining, int Clients)
    {
        public override string ToString() =>
            $"GET /api/jobs/{{id}} with {Clients} clients while {JobsTraining} jobs train: {Requests} requests, {Errors} errors, {RequestsPerSecond:F0} req/s, " +
            $"p50 {P50Ms:F2} ms, p95 {P95Ms:F2} ms, p99 {P99Ms:F2} ms, max {MaxMs:F1} ms";
    }

    public static async Task<Result> RunAsync(LoadClient client, int clients, TimeSpan duration, int trainingJobs)
    {
        var (networkId, datasetId) = await client.CreateXorAsync();
        var jobs = new List<string>();
        for (var i = 0; i < trainingJobs; i++) jobs.Add(await client.CreateJobAsync(networkId, datasetId, 10_000_000, seed: i));
        // With nothing training, read a finished job.
        if (jobs.Count == 0)
        {
            var done = await client.CreateJobAsync(networkId, datasetId, 10);
            await client.WaitFinishedAsync(done, TimeSpan.FromSeconds(60));
            jobs.Add(done);
        }
        // Wait until they really train.
        foreach (var job in jobs)
            await client.WaitUntilAsync(job, j => j["epochsCompleted"]!.GetValue<int>() > 0, TimeSpan.FromSeconds(60), "training");

        var latencies = new List<double>[clients];
        long errors = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var mine = latencies[c] = new List<double>(100_000);
            var url = $"/api/jobs/{jobs[c % jobs.Count]}";
            while (clock.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await client.Http.GetAsync(url);
                await response.Content.ReadAsByteArrayAsync();
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!response.IsSuccessStatusCode) Interlocked.Increment(ref errors);
            }
        })));
        var elapsed = clock.Elapsed;
        if (trainingJobs > 0)
            foreach (var job in jobs) await client.Http.PostAsync($"/api/jobs/{job}/cancel", null);

        var all = latencies.SelectMany(l => l).Order().ToArray();
        double At(double q) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)Math.Ceiling(q * all.Length) - 1)];
        return new Result(all.Length, errors, all.Length / elapsed.TotalSeconds, At(0.50), At(0.95), At(0.99), all.Length == 0 ? double.NaN : all[^1], trainingJobs, clients);
    }
}
