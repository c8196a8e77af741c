using System.Globalization;

namespace BackpropService.Service.Benchmarks;

/// <summary>CPU time (utime + stime) of a process, from /proc (Linux): the service's, by the pid run.sh passes.</summary>
internal static class ProcessCpu
{
    public static double Milliseconds(int? pid)
    {
        if (pid is null) return 0;
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks * 1000.0 / 100; // USER_HZ is 100 on Linux
    }
}
