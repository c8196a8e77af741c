using BackpropService.LoadTest;

// Loopback load test for a running service (bench/load/run.sh starts one). Bounded in time and count.
// Usage: dotnet run -c Release --project bench/load -- --url http://127.0.0.1:5099 [--seconds 15] [--clients 16]
//        [--training-jobs 2] [--workers 2] [--burst 200] [--watchers 100] [--watch-epochs 20000] [--api-key KEY]
var options = Args.Parse(args);
var url = new Uri(options.GetValueOrDefault("url", "http://127.0.0.1:5099"));
using var client = new LoadClient(url, options.GetValueOrDefault("api-key"));
var failures = 0;

var clients = int.Parse(options.GetValueOrDefault("clients", "16"));
var seconds = TimeSpan.FromSeconds(double.Parse(options.GetValueOrDefault("seconds", "15"), System.Globalization.CultureInfo.InvariantCulture));
// First idle, then with every worker training, so the figures show what training costs the API.
var idle = await LatencyScenario.RunAsync(client, clients, seconds, trainingJobs: 0);
Console.WriteLine(idle);
var latency = await LatencyScenario.RunAsync(client, clients, seconds, int.Parse(options.GetValueOrDefault("training-jobs", "2")));
Console.WriteLine(latency);
if (idle.Errors + latency.Errors > 0) failures++;

var burstCount = int.Parse(options.GetValueOrDefault("burst", "200"));
var burst = await BurstScenario.RunAsync(client, burstCount, epochs: 200, TimeSpan.FromMinutes(5));
Console.WriteLine(burst);
if (burst.Succeeded != burstCount) failures++;

var watcherCount = int.Parse(options.GetValueOrDefault("watchers", "100"));
var watchers = await WatchersScenario.RunAsync(client, watcherCount, int.Parse(options.GetValueOrDefault("watch-epochs", "20000")),
    int.Parse(options.GetValueOrDefault("workers", "2")), TimeSpan.FromMinutes(5));
Console.WriteLine(watchers);
if (watchers.Complete != watcherCount) failures++;

Console.WriteLine(failures == 0 ? "load test: PASS" : $"load test: FAIL ({failures} scenarios)");
return failures == 0 ? 0 : 1;

internal static class Args
{
    public static Dictionary<string, string?> Parse(string[] args)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
            if (args[i].StartsWith("--", StringComparison.Ordinal))
                result[args[i][2..]] = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "true";
        return result;
    }

    public static string GetValueOrDefault(this Dictionary<string, string?> options, string key, string fallback) =>
        options.TryGetValue(key, out var value) && value is not null ? value : fallback;
}
