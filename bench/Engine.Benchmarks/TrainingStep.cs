using System.Reflection;
using BackpropService.Engine.Graphs;
using BackpropService.Engine.Optimizers;
using BackpropService.Engine.Training;

namespace BackpropService.Engine.Benchmarks;

/// <summary>One mini-batch step of a workload as the trainer runs it (forward, backward, SGD), on its compiled plan.</summary>
internal sealed class TrainingStep
{
    private const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Instance;
    private readonly Trainer<float> _trainer;
    private readonly Plan<float> _plan;
    private readonly IOptimizer<float> _optimizer;

    public TrainingStep(Workload workload)
    {
        Data = workload.CreateData();
        _trainer = new Trainer<float>(workload.CreateNetwork().Validated, Data, workload.Settings(1));
        _plan = (Plan<float>)typeof(Trainer<float>).GetField("_batchPlan", Private)!.GetValue(_trainer)!;
        _optimizer = (IOptimizer<float>)typeof(Trainer<float>).GetField("_optimizer", Private)!.GetValue(_trainer)!;
        // The trainer loads a batch before each step (a full fixed batch once); load the first rows here.
        var graph = workload.CreateNetwork().Validated;
        var (input, target) = TrainableGraph.InputAndTarget(graph);
        var rows = Enumerable.Range(0, _plan.Values[input].Shape.Rows).ToArray();
        BatchLoader.Load(Data, rows, _plan.Values[input], _plan.Values[target]);
    }

    public Plan<float> Plan => _plan;
    public IOptimizer<float> Optimizer => _optimizer;
    public Trainer<float> Trainer => _trainer;

    public TrainingData Data { get; }

    public float Run()
    {
        _plan.Forward();
        _plan.Backward();
        _optimizer.Step(_trainer.Parameters.Tensors, _plan.ParameterGradients);
        return _plan.RootValue;
    }
}
