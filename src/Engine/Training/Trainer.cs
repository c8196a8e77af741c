using System.Numerics;
using System.Numerics.Tensors;
using BackpropService.Engine.Graphs;
using BackpropService.Engine.Optimizers;

namespace BackpropService.Engine.Training;

/// <summary>
/// Runs epochs of mini-batch gradient descent over compiled plans. It knows nothing of storage or streaming:
/// progress leaves through the epoch callback, and <see cref="CaptureState"/>/<see cref="RestoreState"/> hold everything
/// a resumed run needs to end bit-identical to an uninterrupted one.
/// </summary>
internal sealed class Trainer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TrainingData _data;
    private readonly TrainingSettings _settings;
    private readonly Rng _rng;
    private readonly int[] _order;
    private readonly bool _shuffle;
    private readonly int _batchSize;
    private readonly Plan<T> _batchPlan;
    private readonly Plan<T>? _remainderPlan;
    private readonly Plan<T>? _validationPlan;
    private readonly IOptimizer<T> _optimizer;
    private readonly T _weightDecay;
    private readonly int _inputNode;
    private readonly int _targetNode;

    public Trainer(ValidatedGraph graph, TrainingData data, TrainingSettings settings)
    {
        TrainingSettingsValidator.ThrowIfInvalid(settings);
        data.Validate();
        (_data, _settings) = (data, settings);
        (_inputNode, _targetNode) = TrainableGraph.InputAndTarget(graph);
        _rng = new Rng(settings.Seed);
        Parameters = ParameterSet<T>.Initialize(graph, _rng);
        var split = DataSplit.Create(data.Rows, settings.ValidationSplit, _rng);
        _order = split.TrainingRows;

        var trainingRows = _order.Length;
        _batchSize = Math.Min(settings.BatchSize ?? trainingRows, trainingRows);
        _shuffle = settings.Shuffle ?? _batchSize < trainingRows;
        var loss = graph.LossIndex ?? throw new ArgumentException("The network has no loss node, so it cannot train.");
        _batchPlan = CompilePlan(graph, _batchSize, loss, GradientMode.Parameters);
        if (trainingRows % _batchSize is var remainder and > 0) _remainderPlan = CompilePlan(graph, remainder, loss, GradientMode.Parameters);
        if (split.ValidationRows.Length > 0)
        {
            _validationPlan = CompilePlan(graph, split.ValidationRows.Length, loss, GradientMode.None);
            LoadRows(_validationPlan, split.ValidationRows);
        }
        if (IsFixedBatch) LoadRows(_batchPlan, _order);

        _optimizer = OptimizerFactory.Create(settings, Parameters.Tensors);
        _weightDecay = T.CreateChecked(settings.WeightDecay);
    }

    public ParameterSet<T> Parameters { get; }
    public int EpochsCompleted { get; private set; }
    public int DivergedAt { get; private set; }

    /// <summary>One full batch in a fixed order: the rows are loaded once, not every epoch.</summary>
    private bool IsFixedBatch => !_shuffle && _batchSize == _order.Length;

    public TrainingOutcome Run(Action<EpochReport> onEpoch, CancellationToken cancellationToken, StepYielder? yielder = null)
    {
        while (EpochsCompleted < _settings.Epochs)
        {
            // Also checked before the shuffle, so a run cancelled between epochs leaves the state a checkpoint expects.
            if (cancellationToken.IsCancellationRequested) return TrainingOutcome.Cancelled;
            if (_shuffle) _rng.Shuffle(_order);
            var total = 0.0;
            for (var start = 0; start < _order.Length; start += _batchSize)
            {
                if (cancellationToken.IsCancellationRequested) return TrainingOutcome.Cancelled;
                var count = Math.Min(_batchSize, _order.Length - start);
                var plan = count == _batchSize ? _batchPlan : _remainderPlan!;
                if (!IsFixedBatch) LoadRows(plan, _order.AsSpan(start, count));
                plan.Forward();
                total += double.CreateChecked(plan.RootValue) * count;
                plan.Backward();
                ApplyWeightDecay(plan.ParameterGradients);
                _optimizer.Step(Parameters.Tensors, plan.ParameterGradients);
                yielder?.AfterStep();
            }

            var epoch = EpochsCompleted + 1;
            var cost = total / _order.Length;
            if (!double.IsFinite(cost))
            {
                DivergedAt = epoch;
                return TrainingOutcome.Diverged;
            }
            EpochsCompleted = epoch;
            onEpoch(new EpochReport(epoch, cost, ValidationCost()));
            if (cost <= _settings.TargetCost) return TrainingOutcome.TargetReached;
        }
        return TrainingOutcome.Completed;
    }

    public TrainerState CaptureState() => new(
        EpochsCompleted,
        _rng.SaveState(),
        (int[])_order.Clone(),
        Parameters.Names,
        Parameters.Tensors.Select(t => Array.ConvertAll(t.Data, double.CreateChecked)).ToArray(),
        _optimizer.StepCount,
        _optimizer.State.Select(s => Array.ConvertAll(s, double.CreateChecked)).ToArray());

    public void RestoreState(TrainerState state)
    {
        if (!state.ParameterNames.SequenceEqual(Parameters.Names) || state.Order.Length != _order.Length ||
            state.OptimizerState.Length != _optimizer.State.Length)
            throw new ArgumentException("The checkpoint belongs to a different network, dataset or optimizer.");
        for (var i = 0; i < Parameters.Tensors.Length; i++) Restore(state.Parameters[i], Parameters.Tensors[i].Data);
        for (var i = 0; i < _optimizer.State.Length; i++) Restore(state.OptimizerState[i], _optimizer.State[i]);
        _optimizer.StepCount = state.OptimizerSteps;
        state.Order.CopyTo(_order, 0);
        _rng.RestoreState(state.Rng);
        EpochsCompleted = state.Epoch;
        if (IsFixedBatch) LoadRows(_batchPlan, _order);
    }

    private static void Restore(double[] source, T[] destination)
    {
        if (source.Length != destination.Length) throw new ArgumentException("The checkpoint's tensor sizes do not match the network.");
        for (var k = 0; k < source.Length; k++) destination[k] = T.CreateChecked(source[k]);
    }

    private double? ValidationCost()
    {
        if (_validationPlan is null) return null;
        _validationPlan.Forward();
        return double.CreateChecked(_validationPlan.RootValue);
    }

    private void ApplyWeightDecay(Tensor<T>[] gradients)
    {
        if (_weightDecay == T.Zero) return;
        for (var i = 0; i < gradients.Length; i++)
            TensorPrimitives.MultiplyAdd(Parameters.Tensors[i].Data, _weightDecay, gradients[i].Data, gradients[i].Data);
    }

    private Plan<T> CompilePlan(ValidatedGraph graph, int rows, int root, GradientMode mode) =>
        new(graph, ShapeInference.InferForBatch(graph, rows, _data.FeatureCount, _data.TargetCount), Parameters, root, mode);

    private void LoadRows(Plan<T> plan, ReadOnlySpan<int> rows) =>
        BatchLoader.Load(_data, rows, plan.Values[_inputNode], plan.Values[_targetNode]);
}
