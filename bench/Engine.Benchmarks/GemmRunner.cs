using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BackpropService.Engine.Kernels;

namespace BackpropService.Engine.Benchmarks;

/// <summary>
/// Console mode <c>sgemm [--json] [--sizes 512,1024,2048] [--threads n] [--seconds s] [--transpose nn|nt|tn]</c>:
/// square float32 products through the engine's GEMM, median GFLOP/s of three timed runs.
/// </summary>
internal static class GemmRunner
{
    public static int Run(string[] args)
    {
        var json = args.Contains("--json");
        var sizes = (Text(args, "--sizes") ?? "512,1024,2048").Split(',').Select(int.Parse).ToArray();
        var threads = int.Parse(Text(args, "--threads") ?? "1", CultureInfo.InvariantCulture);
        var seconds = double.Parse(Text(args, "--seconds") ?? "1", CultureInfo.InvariantCulture);
        var mode = Text(args, "--transpose") ?? "nn";
        foreach (var n in sizes)
        {
            var gflops = Measure(n, threads, seconds, mode[0] == 't', mode[1] == 't');
            if (json) Console.WriteLine(JsonSerializer.Serialize(new { side = "ours", workload = $"sgemm{n}", unit = "GFLOP/s", threads, rate = gflops }));
            else Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sgemm {n,5} {mode} {gflops,8:F1} GFLOP/s ({threads} thread{(threads == 1 ? "" : "s")})"));
        }
        return 0;
    }

    public static double Measure(int n, int threads, double seconds, bool transposeA = false, bool transposeB = false)
    {
        var random = new Random(7);
        var a = new float[n * n];
        var b = new float[n * n];
        var c = new float[n * n];
        for (var i = 0; i < a.Length; i++) { a[i] = (float)random.NextDouble() - 0.5f; b[i] = (float)random.NextDouble() - 0.5f; }
        Gemm.Multiply(transposeA, transposeB, n, n, n, a, b, c, false, threads);
        var watch = Stopwatch.StartNew();
        var calls = 0;
        do { Gemm.Multiply(transposeA, transposeB, n, n, n, a, b, c, false, threads); calls++; } while (watch.Elapsed.TotalSeconds < 0.2);
        var perRun = Math.Max(1, (int)(calls * seconds / watch.Elapsed.TotalSeconds));
        var rates = new double[3];
        for (var r = 0; r < 3; r++)
        {
            watch.Restart();
            for (var i = 0; i < perRun; i++) Gemm.Multiply(transposeA, transposeB, n, n, n, a, b, c, false, threads);
            rates[r] = 2.0 * n * n * n * perRun / watch.Elapsed.TotalSeconds / 1e9;
        }
        Array.Sort(rates);
        return rates[1];
    }

    private static string? Text(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
