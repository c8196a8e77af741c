using System.Globalization;

namespace BackpropService.Service.Benchmarks;

/// <summary>
/// Target 1: "a job's wall time (startedAt → finishedAt) is ≤ 1.1× the bare engine's for jobs whose epochs take
/// ≥ 1 ms". The per-epoch columns show that condition holds; the ratio is the median of the runs' paired ratios
/// (service / bare), each value listed. The CPU ratio (with --service-pid) is steadier on a shared machine.
/// </summary>
internal static class MnistWallTimeTable
{
    public static void Print(IReadOnlyList<(int Epochs, List<MnistRun> Runs)> results)
    {
        Console.WriteLine("target 1: a job's wall time through the service vs the bare engine (one job alone; target ≤ 1.1× when an epoch takes ≥ 1 ms)");
        Console.WriteLine("| epochs | per epoch, bare (ms: wall / epochs) | per epoch, service (ms: wall / epochs) | bare engine (ms) | through the service (ms) | wall ratio (median of pairs) | CPU ratio (median of pairs) | same final cost |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var (epochs, runs) in results)
        {
            var bare = runs.Select(r => r.BareAlone.Milliseconds).ToList();
            var service = runs.Select(r => r.ServiceAlone.Milliseconds).ToList();
            var ratios = runs.Select(r => r.ServiceAlone.Milliseconds / r.BareAlone.Milliseconds).ToList();
            var cpuRatios = runs.Where(r => r.ServiceCpuMilliseconds > 0).Select(r => r.ServiceCpuMilliseconds / r.BareCpuMilliseconds).ToList();
            // Same seed, data and network give the same cost history bit for bit (docs/API.md), so an unequal final
            // cost would mean the two sides did not train the same thing and the ratio compares different work.
            var sameCost = runs.All(r => r.BareAlone.Cost.Equals(r.ServiceAlone.Cost))
                ? "yes" : "NO: " + string.Join(", ", runs.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.BareAlone.Cost:R} vs {r.ServiceAlone.Cost:R}")));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {epochs:N0} | {PairedFigures.MedianAndValues(bare.Select(b => b / epochs).ToList(), "F2")} " +
                $"| {PairedFigures.MedianAndValues(service.Select(s => s / epochs).ToList(), "F2")} " +
                $"| {PairedFigures.MedianAndValues(bare, "F0")} | {PairedFigures.MedianAndValues(service, "F0")} " +
                $"| {PairedFigures.MedianAndValues(ratios, "F2", "×")} " +
                $"| {(cpuRatios.Count > 0 ? PairedFigures.MedianAndValues(cpuRatios, "F2", "×") : "(no --service-pid)")} | {sameCost} |"));
        }
    }
}
