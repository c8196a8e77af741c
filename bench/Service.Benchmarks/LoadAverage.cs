namespace BackpropService.Service.Benchmarks;

/// <summary>The machine's load average (/proc/loadavg, Linux), printed before and after a benchmark so a reader can
/// tell a quiet run from one that shared the cores with other work.</summary>
internal static class LoadAverage
{
    public static string Read() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
}
