using System.Globalization;

namespace BackpropService.Reliability.Tests.Harness;

/// <summary>A process's resident memory from /proc/PID/status, in MB, with its peak (VmHWM) reset between measurements.</summary>
public static class ProcessMemory
{
    public static double ResidentMb(int pid) => Read(pid, "VmRSS");

    public static double PeakMb(int pid) => Read(pid, "VmHWM");

    /// <summary>Starts a new peak at the current resident size (writing 5 to clear_refs resets VmHWM; Linux 4.0+).</summary>
    public static void ResetPeak(int pid) => File.WriteAllText($"/proc/{pid}/clear_refs", "5");

    private static double Read(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (!line.StartsWith(field + ":", StringComparison.Ordinal)) continue;
            var kb = line[(field.Length + 1)..].Trim().Split(' ')[0];
            return long.Parse(kb, CultureInfo.InvariantCulture) / 1024.0;
        }
        throw new InvalidOperationException($"/proc/{pid}/status has no {field}");
    }
}
