using System.Globalization;

namespace BackpropService.Service.Benchmarks;

/// <summary>How the mnist tables print a set of per-run figures: the median, then every value, so a reader sees the spread.</summary>
internal static class PairedFigures
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>"1.05 (1.02, 1.05, 1.11)" with <paramref name="format"/> and an optional suffix on the median (e.g. "×").</summary>
    public static string MedianAndValues(IReadOnlyCollection<double> values, string format, string suffix = "") =>
        values.Count == 0 ? "-" :
        Median(values).ToString(format, CultureInfo.InvariantCulture) + suffix +
        " (" + string.Join(", ", values.Select(v => v.ToString(format, CultureInfo.InvariantCulture))) + ")";
}
