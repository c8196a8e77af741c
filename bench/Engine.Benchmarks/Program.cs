using BenchmarkDotNet.Running;
using BackpropService.Engine.Benchmarks;

// `workloads ...` is the console mode bench/compare.sh runs; `sgemm ...` prints GEMM GFLOP/s; anything else goes to BenchmarkDotNet.
return args.FirstOrDefault() switch
{
    "workloads" => WorkloadRunner.Run(args[1..]),
    "sgemm" => GemmRunner.Run(args[1..]),
    "profile" => StepProfiler.Run(args[1..]),
    _ => Run(args),
};

static int Run(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(WorkloadRunner).Assembly).Run(args);
    return 0;
}
