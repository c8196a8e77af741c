using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using BackpropService.Engine.Graphs;
using BackpropService.Engine.Ops;
using BackpropService.Engine.Training;

namespace BackpropService.Engine.Benchmarks;

/// <summary>
/// Console mode <c>profile [--only name] [--steps n]</c>: where a training step's time goes, op by op (forward and
/// backward), plus the optimizer. The figures in docs/performance.md come from here.
/// </summary>
internal static class StepProfiler
{
    public static int Run(string[] args)
    {
        var only = ConsoleOptions.Text(args, "--only")?.Split(',');
        var steps = int.Parse(ConsoleOptions.Text(args, "--steps") ?? "200", CultureInfo.InvariantCulture);
        EngineThreading.MaxDegreeOfParallelism = int.Parse(ConsoleOptions.Text(args, "--threads") ?? "1", CultureInfo.InvariantCulture);
        foreach (var w in Workload.All.Where(w => only is null || only.Contains(w.Name))) Profile(w, steps);
        return 0;
    }

    private static void Profile(Workload w, int steps)
    {
        var network = w.CreateNetwork();
        var profiled = new TrainingStep(w);
        var (trainer, plan, optimizer) = (profiled.Trainer, profiled.Plan, profiled.Optimizer);
        var planSteps = (PlanStep<float>[])typeof(Plan<float>).GetField("_steps", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(plan)!;
        var forward = new double[planSteps.Length];
        var backward = new double[planSteps.Length];
        double clear = 0, optimize = 0, total = 0;
        var watch = new Stopwatch();
        for (var round = 0; round < 2; round++) // round 0 warms up
        {
            Array.Clear(forward); Array.Clear(backward); clear = optimize = 0;
            var all = Stopwatch.StartNew();
            // The warm-up round runs at least a second so tiered JIT has promoted every method.
            for (var n = 0; n < steps || (round == 0 && all.Elapsed.TotalSeconds < 1.5); n++)
            {
                for (var k = 0; k < planSteps.Length; k++)
                {
                    watch.Restart();
                    planSteps[k].Op.Forward(planSteps[k].Inputs, planSteps[k].Output);
                    forward[k] += watch.Elapsed.TotalMicroseconds;
                }
                watch.Restart();
                foreach (var g in plan.Gradients) g?.Clear();
                plan.Gradients[plan.Root]!.Span.Fill(1f);
                clear += watch.Elapsed.TotalMicroseconds;
                for (var k = planSteps.Length - 1; k >= 0; k--)
                {
                    var step = planSteps[k];
                    if (step.OutputGrad is null) continue;
                    watch.Restart();
                    step.Op.Backward(step.Inputs, step.Output, step.OutputGrad, step.InputGrads);
                    backward[k] += watch.Elapsed.TotalMicroseconds;
                }
                watch.Restart();
                optimizer.Step(trainer.Parameters.Tensors, plan.ParameterGradients);
                optimize += watch.Elapsed.TotalMicroseconds;
            }
            total = all.Elapsed.TotalMicroseconds;
        }
        var trainingStep = new TrainingStep(w);
        for (var n = 0; n < 50; n++) trainingStep.Run();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var totalBefore = GC.GetTotalAllocatedBytes(precise: true);
        for (var n = 0; n < 100; n++) trainingStep.Run();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var allocatedAll = GC.GetTotalAllocatedBytes(precise: true) - totalBefore;
        Console.WriteLine($"== {w.Name}: 100 warmed-up steps allocated {allocated} B on this thread, {allocatedAll} B process-wide");
        Console.WriteLine($"== {w.Name}: {total / steps:F2} µs per step (batch {plan.Values[0].Shape.Rows} rows), timer overhead included");
        for (var k = 0; k < planSteps.Length; k++)
        {
            var id = network.Validated.Nodes[planSteps[k].Node].Id;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {id,-22} {planSteps[k].Op.GetType().Name.Split('`')[0],-30} fwd {forward[k] / steps,9:F2} µs  bwd {backward[k] / steps,9:F2} µs"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  clear gradients {clear / steps:F2} µs, optimizer {optimize / steps:F2} µs"));
    }
}
