using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BackpropService.Engine;
using BackpropService.Engine.Graphs;

namespace BackpropService.Service.Benchmarks;

/// <summary>
/// A sweep of XOR trials (2-2-1 sigmoid, BCE, lr 0.5, full batch, SGD; seeds 1..N) through the service, from the POST to
/// the sweep's end, against the bare engine training the same N runs on as many threads as the service trains jobs
/// at once (Training:MaxConcurrentJobs, passed as --concurrency; run.sh sets 2). Issue 13's target: at most 1.5×.
/// --runs rounds (default 3), each the bare runs then the sweep: the first on the freshly started service, then warm.
/// Usage: run.sh --workload sweep [--trials 1000] [--epochs 10000] [--concurrency 2] [--runs 3]; a smoke run: --trials 20 --epochs 1000 --runs 1.
/// </summary>
internal static class SweepBenchmark
{
    public static async Task<int> RunAsync(HttpClient http, Options options)
    {
        var epochs = options.Epochs[0];
        Console.WriteLine($"sweep of {options.Trials} XOR trials × {epochs:N0} epochs; {options.Concurrency} at once; load average at start: {LoadAverage.Read()}");
        // --runs rounds (3 by default), alternated: the first sweep of a fresh service pays its JIT and first-use costs
        // (as the first bare round pays the engine's), and the runtime keeps promoting the web stack's code for a few
        // thousand jobs more (docs/performance.md); the later rounds show the steady state.
        Console.WriteLine("| round | trials | epochs | bare engine (s) | sweep through the service (s) | ratio |\n|---|---:|---:|---:|---:|---:|");
        for (var run = 1; run <= options.Runs; run++)
        {
            var round = run == 1 ? "1 (fresh service)" : run.ToString(CultureInfo.InvariantCulture);
            var bare = Bare(options.Trials, epochs, options.Concurrency);
            var service = await ThroughServiceAsync(http, options.Trials, epochs);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {round} | {options.Trials:N0} | {epochs:N0} | {bare:F2} | {service:F2} | {service / bare:F2}× |"));
        }
        Console.WriteLine($"load average at the end: {LoadAverage.Read()}");
        return 0;
    }

    /// <summary>The N runs on <paramref name="threads"/> threads taking the next seed as each finishes, as the worker takes the next trial.</summary>
    private static double Bare(int trials, int epochs, int threads)
    {
        var next = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            for (var seed = Interlocked.Increment(ref next); seed <= trials; seed = Interlocked.Increment(ref next))
            {
                var network = Network.FromLayers(new LayeredNetworkDefinition(2, [new LayerDefinition(2, "sigmoid"), new LayerDefinition(1, "sigmoid")], "binary_cross_entropy"));
                var data = new TrainingData([0, 0, 0, 1, 1, 0, 1, 1], [0, 1, 1, 0], 4, 2, 1);
                var session = TrainingSession.Start(network, data, new TrainingSettings { Epochs = epochs, LearningRate = 0.5, Seed = (ulong)seed });
                if (session.Run(static _ => { }, CancellationToken.None) is not TrainingOutcome.Completed)
                    throw new InvalidOperationException($"The bare run of seed {seed} did not complete.");
            }
        })).ToArray();
        foreach (var worker in workers) worker.Start();
        foreach (var worker in workers) worker.Join();
        return clock.Elapsed.TotalSeconds;
    }

    private static async Task<double> ThroughServiceAsync(HttpClient http, int trials, int epochs)
    {
        var networkId = await ServiceJobs.CreateAsync(http, "/api/networks", """
            { "name": "xor", "inputs": 2, "layers": [ { "units": 2, "activation": "sigmoid" }, { "units": 1, "activation": "sigmoid" } ], "loss": "binary_cross_entropy" }
            """);
        var datasetId = await ServiceJobs.CreateAsync(http, "/api/datasets", """{ "name": "xor", "features": [[0,0],[0,1],[1,0],[1,1]], "targets": [[0],[1],[1],[0]] }""");
        var seeds = string.Join(", ", Enumerable.Range(1, trials));
        var clock = Stopwatch.StartNew();
        var sweepId = await ServiceJobs.CreateAsync(http, "/api/sweeps", $$"""
            { "base": { "networkId": "{{networkId}}", "datasetId": "{{datasetId}}", "epochs": {{epochs}}, "learningRate": 0.5 }, "grid": { "seed": [{{seeds}}] } }
            """);
        while (true)
        {
            var sweep = (await http.GetFromJsonAsync<JsonNode>($"/api/sweeps/{sweepId}"))!;
            var status = sweep["status"]!.GetValue<string>();
            if (status == "succeeded") return clock.Elapsed.TotalSeconds;
            if (status is "failed" or "cancelled") throw new InvalidOperationException($"The sweep ended {status}: {sweep}");
            await Task.Delay(50);
        }
    }
}
