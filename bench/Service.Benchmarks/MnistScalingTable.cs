using System.Globalization;

namespace BackpropService.Service.Benchmarks;

/// <summary>
/// Target 2: "with MaxConcurrentJobs = 2 on 2 cores, two concurrent mnist-like jobs' total throughput ≥ 1.8× one job
/// alone's". Throughput = samples trained / makespan (earliest startedAt → latest finishedAt). The bare engine row is
/// the same experiment without the service, so a reader sees which of the two limits the scaling.
/// </summary>
internal static class MnistScalingTable
{
    public static void Print(IReadOnlyList<(int Epochs, List<MnistRun> Runs)> results, int rowsPerEpoch)
    {
        Console.WriteLine("target 2: two jobs at once vs one alone (throughput = samples / makespan; target ≥ 1.8×)");
        Console.WriteLine("| epochs | side | one alone (ms) | two at once, makespan (ms) | second job started after the first (ms) | one alone (samples/s) | two at once (samples/s) | throughput ratio (median of runs) |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (epochs, runs) in results)
        {
            Row(epochs, "bare engine", runs.Select(r => (r.BareAlone, r.BareTogether)).ToList(), rowsPerEpoch);
            Row(epochs, "through the service", runs.Select(r => (r.ServiceAlone, r.ServiceTogether)).ToList(), rowsPerEpoch);
        }
        // Why the bar is not simply 2×: EngineThreading gives a session processors / running sessions threads for its
        // large products, so a job alone already uses both cores for part of each step; two jobs run one thread each.
        Console.WriteLine("(a job alone splits its large matrix products over both cores; two at once run one thread each: EngineThreading)");
    }

    private static void Row(int epochs, string side, List<(JobSpan Alone, JobSpan[] Together)> runs, int rowsPerEpoch)
    {
        double samples = (double)epochs * rowsPerEpoch;
        var alone = runs.Select(r => r.Alone.Milliseconds).ToList();
        var makespans = runs.Select(r => JobSpan.Makespan(r.Together)).ToList();
        var gaps = runs.Select(r => JobSpan.StartGap(r.Together)).ToList();
        var aloneRate = alone.Select(ms => samples / (ms / 1000)).ToList();
        var togetherRate = runs.Zip(makespans, (r, ms) => r.Together.Length * samples / (ms / 1000)).ToList();
        var ratios = aloneRate.Zip(togetherRate, (one, two) => two / one).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {epochs:N0} | {side} | {PairedFigures.MedianAndValues(alone, "F0")} | {PairedFigures.MedianAndValues(makespans, "F0")} " +
            $"| {PairedFigures.MedianAndValues(gaps, "F0")} | {PairedFigures.MedianAndValues(aloneRate, "N0")} " +
            $"| {PairedFigures.MedianAndValues(togetherRate, "N0")} | {PairedFigures.MedianAndValues(ratios, "F2", "×")} |"));
    }
}
