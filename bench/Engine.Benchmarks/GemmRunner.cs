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
        if (args.Contains("--kernel"))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"micro-kernel 8x32 on L1-resident panels: {KernelCeiling<GemmKernel512>():F1} GFLOP/s (process CPU time)"));
            return 0;
        }
        if (ConsoleOptions.Text(args, "--shape") is { } shape)
        {
            // Tiny products: nanoseconds per call for m,n,k in each transpose mode.
            var d = shape.Split(',').Select(int.Parse).ToArray();
            foreach (var (ta, tb) in new[] { (false, false), (false, true), (true, false) })
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{d[0]}x{d[1]}x{d[2]} {(ta ? 't' : 'n')}{(tb ? 't' : 'n')}: {NanosecondsPerCall(d[0], d[1], d[2], ta, tb):F0} ns"));
            return 0;
        }
        var json = args.Contains("--json");
        var sizes = (ConsoleOptions.Text(args, "--sizes") ?? "512,1024,2048").Split(',').Select(int.Parse).ToArray();
        var threads = int.Parse(ConsoleOptions.Text(args, "--threads") ?? "1", CultureInfo.InvariantCulture);
        var duration = double.Parse(ConsoleOptions.Text(args, "--seconds") ?? "1", CultureInfo.InvariantCulture);
        var mode = ConsoleOptions.Text(args, "--transpose") ?? "nn";
        foreach (var n in sizes)
        {
            var gflops = Measure(n, threads, duration, mode[0] == 't', mode[1] == 't');
            if (json) Console.WriteLine(JsonSerializer.Serialize(new { side = "ours", workload = $"sgemm{n}", unit = "GFLOP/s", threads, rate = gflops }));
            else Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sgemm {n,5} {mode} {gflops,8:F1} GFLOP/s ({threads} thread{(threads == 1 ? "" : "s")})"));
        }
        return 0;
    }

    /// <summary>The micro-kernel alone on L1-resident panels (kc = 256): its ceiling, separate from packing and caches.</summary>
    public static unsafe double KernelCeiling<TK>() where TK : IGemmMicroKernel
    {
        const int kc = 256;
        var a = GC.AllocateArray<float>(TK.MR * kc + 16, pinned: true);
        var b = GC.AllocateArray<float>(TK.NR * kc + 16, pinned: true);
        var c = GC.AllocateArray<float>(TK.MR * TK.NR + 16, pinned: true);
        fixed (float* pa = a, pb = b, pc = c)
        {
            float* ap = Align(pa), bp = Align(pb), cp = Align(pc);
            for (var i = 0; i < 100_000; i++) TK.Run(kc, ap, bp, TK.NR, cp, TK.NR, true);
            var best = 0.0;
            for (var r = 0; r < 10; r++)
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                const int calls = 200_000;
                for (var i = 0; i < calls; i++) TK.Run(kc, ap, bp, TK.NR, cp, TK.NR, true);
                best = Math.Max(best, 2.0 * TK.MR * TK.NR * kc * calls / (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / 1e9);
            }
            return best;
        }

        static float* Align(float* p) => (float*)(((nint)p + 63) & ~(nint)63);
    }

    public static double NanosecondsPerCall(int m, int n, int k, bool ta, bool tb)
    {
        var random = new Random(3);
        var a = Enumerable.Range(0, m * k).Select(_ => (float)random.NextDouble()).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => (float)random.NextDouble()).ToArray();
        var c = new float[m * n];
        var best = double.MaxValue;
        var calls = (int)Math.Clamp(2e8 / Math.Max(1.0, (double)m * n * k), 10, 20000);
        for (var r = 0; r < 20; r++)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < calls; i++) Gemm.Multiply(ta, tb, m, n, k, a, b, c, true, 1);
            best = Math.Min(best, watch.Elapsed.TotalNanoseconds / calls);
        }
        return best;
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
        // SGEMM_BEST=1 (tuning on a busy machine): the best of 15 short runs, which filters out preemption.
        var best = Environment.GetEnvironmentVariable("SGEMM_BEST") == "1";
        if (best) perRun = Math.Max(1, perRun / 10);
        var rates = new double[best ? 15 : 3];
        for (var r = 0; r < rates.Length; r++)
        {
            watch.Restart();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            for (var i = 0; i < perRun; i++) Gemm.Multiply(transposeA, transposeB, n, n, n, a, b, c, false, threads);
            // In tuning mode, process CPU time (what this process got of the cores), not wall time.
            var spent = best ? (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds : watch.Elapsed.TotalSeconds;
            rates[r] = 2.0 * n * n * n * perRun / spent / 1e9;
        }
        Array.Sort(rates);
        return best ? rates[^1] : rates[1];
    }
}
