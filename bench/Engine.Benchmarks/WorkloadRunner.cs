using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace BackpropService.Engine.Benchmarks;

/// <summary>
/// Console mode for bench/compare.sh: <c>workloads [--json] [--only a,b] [--seconds s] [--repeats r] [--threads n] [--warmup s] [--tiny]</c>.
/// Each workload trains through the public facade (TrainingSession), warms up, then reports the median rate of
/// <c>repeats</c> timed runs of about <c>seconds</c> each.
/// </summary>
internal static class WorkloadRunner
{
    public static int Run(string[] args)
    {
        var json = args.Contains("--json");
        var tiny = args.Contains("--tiny");
        var seconds = Option(args, "--seconds", 1.0);
        var repeats = (int)Option(args, "--repeats", 3.0);
        var threads = (int)Option(args, "--threads", Environment.ProcessorCount);
        var warmup = Option(args, "--warmup", tiny ? 0 : 2);
        EngineThreading.MaxDegreeOfParallelism = threads;
        var only = ConsoleOptions.Text(args, "--only")?.Split(',');
        foreach (var workload in Workload.All.Where(w => only is null || only.Contains(w.Name)))
        {
            var w = tiny ? workload.Tiny() : workload;
            var (rate, cpuRate) = Measure(w, seconds, repeats, warmup);
            if (json)
                Console.WriteLine(JsonSerializer.Serialize(new { side = "ours", workload = w.Name, unit = w.Unit, threads, rate, cpu_rate = cpuRate }));
            else
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{w.Name,-6} {rate,14:N0} {w.Unit} ({threads} thread{(threads == 1 ? "" : "s")})"));
        }
        return 0;
    }

    /// <summary>Median over repeats of epochs (or samples) per second of wall time, and per second of this process's CPU
    /// time (which a busy machine's time-sharing does not inflate); the epoch count is sized from a warm-up of at least
    /// <paramref name="warmup"/> seconds (option --warmup).</summary>
    private static (double Rate, double CpuRate) Measure(Workload w, double seconds, int repeats, double warmup)
    {
        var network = w.CreateNetwork();
        var data = w.CreateData();
        // Warm-up: tiered JIT (on a busy machine the background tier-1 compiles take a while), caches, packing
        // buffers; at least `warmup` seconds and until one run takes 0.2 s; then size the run to ~seconds.
        var epochs = 1;
        double elapsed, warm = 0;
        do
        {
            elapsed = Time(network, data, w, epochs).Wall;
            warm += elapsed;
            if (elapsed < 0.2) epochs *= 2;
        } while (elapsed < 0.2 || warm < warmup);
        var timed = Math.Max(1, (int)(epochs * seconds / elapsed));
        var rates = new double[Math.Max(1, repeats)];
        var cpuRates = new double[rates.Length];
        for (var r = 0; r < rates.Length; r++)
        {
            var (wall, cpu) = Time(network, data, w, timed);
            (rates[r], cpuRates[r]) = (timed * w.PerEpoch / wall, timed * w.PerEpoch / cpu);
        }
        Array.Sort(rates);
        Array.Sort(cpuRates);
        return (rates[rates.Length / 2], cpuRates[rates.Length / 2]);
    }

    private static (double Wall, double Cpu) Time(Network network, TrainingData data, Workload w, int epochs)
    {
        var session = TrainingSession.Start(network, data, w.Settings(epochs));
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var outcome = session.Run(static _ => { }, CancellationToken.None);
        watch.Stop();
        process.Refresh();
        var cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
        if (outcome != TrainingOutcome.Completed) // a diverged run stops early and would inflate the rate
            throw new InvalidOperationException($"{w.Name}: {outcome}");
        return (watch.Elapsed.TotalSeconds, Math.Max(cpuSeconds, 1e-9));
    }

    private static double Option(string[] args, string name, double fallback) =>
        ConsoleOptions.Text(args, name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
