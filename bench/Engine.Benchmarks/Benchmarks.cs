using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using BackpropService.Engine.Kernels;
using BackpropService.Engine.Ops;

namespace BackpropService.Engine.Benchmarks;

/// <summary>Square float32 GEMM through the packed kernel, one thread and all cores. GFLOP/s = 2n³ / time.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 7)]
public class GemmBenchmarks
{
    private float[] _a = [], _b = [], _c = [];

    [Params(64, 256, 512, 1024, 2048)]
    public int N { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _a = Enumerable.Range(0, N * N).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        _b = Enumerable.Range(0, N * N).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        _c = new float[N * N];
    }

    [Benchmark]
    public void Multiply() => Gemm.Multiply(false, false, N, N, N, _a, _b, _c, accumulate: false, degree: Threads);

    [Benchmark]
    public void MultiplyTransposedB() => Gemm.Multiply(false, true, N, N, N, _a, _b, _c, accumulate: true, degree: Threads);

    [Benchmark]
    public void MultiplyTransposedA() => Gemm.Multiply(true, false, N, N, N, _a, _b, _c, accumulate: true, degree: Threads);
}

/// <summary>The elementwise kernels of a training step at a small, a layer-sized and a large length.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 7)]
public class ElementwiseBenchmarks
{
    private float[] _x = [], _y = [], _dy = [], _dx = [], _row = [];

    [Params(8, 4096, 262144)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(2);
        float[] Make(int n) => Enumerable.Range(0, n).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        (_x, _y, _dy, _dx) = (Make(Length), Make(Length), Make(Length), Make(Length));
        _row = Make(Math.Min(Length, 1024));
    }

    [Benchmark] public void Tanh() => TensorPrimitives.Tanh(_x, _y);
    [Benchmark] public void Sigmoid() => TensorPrimitives.Sigmoid(_x, _y);
    [Benchmark] public void TanhBackward() => ActivationGradient.Accumulate<float, TanhDerivative<float>>(_x, _y, _dy, _dx);
    [Benchmark] public void ReluBackward() => ActivationGradient.Accumulate<float, ReluDerivative<float>>(_x, _y, _dy, _dx);
    [Benchmark] public void BiasAdd() => RowBroadcast.AddRow<float>(_x, _row, _y);
    [Benchmark] public void BiasGradient() => RowBroadcast.AccumulateColumnSums<float>(_dy, _row);
    [Benchmark] public void SgdUpdate() => TensorPrimitives.MultiplyAdd(_dy, -0.01f, _x, _x);
}

/// <summary>
/// One training step (forward, backward, SGD) of each workload on its compiled plan, one thread. MemoryDiagnoser's
/// Allocated column must read 0 B (issue 5). Whole epochs through TrainingSession: the console mode `workloads`.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 9)]
public class WorkloadBenchmarks
{
    private TrainingStep _step = null!;

    [Params("xor", "small", "mnist", "wide")]
    public string Name { get; set; } = "xor";

    [GlobalSetup]
    public void Setup()
    {
        EngineThreading.MaxDegreeOfParallelism = 1;
        _step = new TrainingStep(Workload.ByName(Name));
    }

    [Benchmark]
    public float TrainingStep() => _step.Run();
}
