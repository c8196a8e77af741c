using BenchmarkDotNet.Running;
using BackpropService.Engine.Benchmarks;
using BackpropService.Engine.Benchmarks.Initialisation;

// `workloads ...` is the console mode bench/compare.sh runs; `sgemm ...` prints GEMM GFLOP/s; `init-survey ...` compares
// default initialisations (docs/initialisation.md); anything else goes to BenchmarkDotNet.
return args.FirstOrDefault() switch
{
    "workloads" => WorkloadRunner.Run(args[1..]),
    "sgemm" => GemmRunner.Run(args[1..]),
    "profile" => StepProfiler.Run(args[1..]),
    "init-survey" => InitSurveyRunner.Run(args[1..]),
    _ => Run(args),
};

static int Run(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(WorkloadRunner).Assembly).Run(args);
    return 0;
}
