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
    private readonly EarlyStopper<T>? _stopper;
    private readonly int _inputNode;
    private readonly int _targetNode;
    private readonly AccuracyRule? _accuracy;

    /// <param name="initialParameters">A warm start's values (checked by name and shape), drawn over the seeded initialisation; null starts from it.</param>
    public Trainer(ValidatedGraph graph, TrainingData data, TrainingSettings settings, IReadOnlyList<NamedTensor>? initialParameters = null)
    {
        TrainingSettingsValidator.ThrowIfInvalid(settings);
        data.Validate();
        (_data, _settings) = (data, settings);
        (_inputNode, _targetNode) = TrainableGraph.InputAndTarget(graph);
        _rng = new Rng(settings.Seed);
        Parameters = ParameterSet<T>.Initialize(graph, _rng);
        // Initialised first all the same: the generator then draws the split and the shuffles as in a cold start.
        if (initialParameters is not null) Parameters.Load(initialParameters);
        var split = DataSplit.Create(data.Rows, settings.ValidationSplit, _rng);
        _order = split.TrainingRows;

        var trainingRows = _order.Length;
        _batchSize = Math.Min(settings.BatchSize ?? trainingRows, trainingRows);
        _shuffle = settings.Shuffle ?? _batchSize < trainingRows;
        var loss = graph.LossIndex ?? throw new ArgumentException("The network has no loss node, so it cannot train.");
        _accuracy = AccuracyRule.Of(graph);
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
        if (settings.EarlyStopping is { } stopping) _stopper = new EarlyStopper<T>(stopping, _validationPlan is not null, Parameters.Tensors);
    }

    public ParameterSet<T> Parameters { get; }
    public int EpochsCompleted { get; private set; }
    public int DivergedAt { get; private set; }
    public EarlyStopper<T>? Stopper => _stopper;

    /// <summary>One full batch in a fixed order: the rows are loaded once, not every epoch.</summary>
    private bool IsFixedBatch => !_shuffle && _batchSize == _order.Length;

    public TrainingOutcome Run(Action<EpochReport> onEpoch, CancellationToken cancellationToken, StepYielder? yielder = null)
    {
        if (_stopper?.Exhausted(EpochsCompleted) == true) return TrainingOutcome.StoppedEarly;
        while (EpochsCompleted < _settings.Epochs)
        {
            // Also checked before the shuffle, so a run cancelled between epochs leaves the state a checkpoint expects.
            if (cancellationToken.IsCancellationRequested) return TrainingOutcome.Cancelled;
            var epoch = EpochsCompleted + 1;
            // Once per epoch, not per step: the full-batch XOR step takes well under a microsecond.
            if (_settings.LearningRateSchedule is not null) _optimizer.LearningRate = LearningRates.At(_settings, epoch);
            if (_shuffle) _rng.Shuffle(_order);
            var total = 0.0;
            var correct = 0;
            ParameterNorms? norms = null;
            for (var start = 0; start < _order.Length; start += _batchSize)
            {
                if (cancellationToken.IsCancellationRequested) return TrainingOutcome.Cancelled;
                var count = Math.Min(_batchSize, _order.Length - start);
                var plan = count == _batchSize ? _batchPlan : _remainderPlan!;
                if (!IsFixedBatch) LoadRows(plan, _order.AsSpan(start, count));
                plan.Forward();
                total += double.CreateChecked(plan.RootValue) * count;
                if (_accuracy is not null) correct += _accuracy.CountCorrect(plan.Values[_accuracy.Prediction], plan.Values[_accuracy.Target]);
                plan.Backward();
                // Before clipping, of the epoch's last batch; one flag test per batch when off.
                if (_settings.RecordGradientNorms && start + count == _order.Length) norms = Norms(plan.ParameterGradients);
                if (_settings.ClipGradNorm is { } maxNorm) GradientClipping.Clip(plan.ParameterGradients, maxNorm);
                ApplyWeightDecay(plan.ParameterGradients);
                _optimizer.Step(Parameters.Tensors, plan.ParameterGradients);
                yielder?.AfterStep();
            }

            var cost = total / _order.Length;
            if (!double.IsFinite(cost))
            {
                DivergedAt = epoch;
                return TrainingOutcome.Diverged;
            }
            EpochsCompleted = epoch;
            var (validationCost, validationAccuracy) = Validate();
            // Observed before the callback, which may take a checkpoint that must hold this epoch's best.
            _stopper?.Observe(epoch, cost, validationCost, Parameters.Tensors);
            double? accuracy = _accuracy is null ? null : (double)correct / _order.Length;
            onEpoch(new EpochReport(epoch, cost, validationCost, accuracy, validationAccuracy, norms));
            if (cost <= _settings.TargetCost) return TrainingOutcome.TargetReached;
            if (_stopper?.Exhausted(epoch) == true) return TrainingOutcome.StoppedEarly;
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
        _optimizer.State.Select(s => Array.ConvertAll(s, double.CreateChecked)).ToArray(),
        _stopper?.BestEpoch ?? 0,
        _stopper?.BestMetric ?? double.PositiveInfinity,
        _stopper?.BestParameters?.Select(p => Array.ConvertAll(p, double.CreateChecked)).ToArray() ?? []);

    public void RestoreState(TrainerState state)
    {
        if (!state.ParameterNames.SequenceEqual(Parameters.Names) || state.Order.Length != _order.Length ||
            state.OptimizerState.Length != _optimizer.State.Length)
            throw new ArgumentException("The checkpoint belongs to a different network, dataset or optimizer.");
        // A checkpoint from before the early-stopping settings (or from an engine without them) has no best: it is
        // found again from the next epoch on.
        if (_stopper is not null && state.BestEpoch > 0)
        {
            _stopper.Restore(state.BestEpoch, state.BestMetric);
            if (_stopper.BestParameters is { } best)
            {
                if (state.BestParameters.Length != best.Length)
                    throw new ArgumentException("The checkpoint's best parameters do not match the network.");
                for (var i = 0; i < best.Length; i++) Restore(state.BestParameters[i], best[i]);
            }
        }
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

    /// <summary>The validation rows' cost and accuracy (null without a split; accuracy null without a classification loss).</summary>
    private (double? Cost, double? Accuracy) Validate()
    {
        if (_validationPlan is null) return (null, null);
        _validationPlan.Forward();
        var cost = double.CreateChecked(_validationPlan.RootValue);
        if (_accuracy is null) return (cost, null);
        var prediction = _validationPlan.Values[_accuracy.Prediction];
        return (cost, (double)_accuracy.CountCorrect(prediction, _validationPlan.Values[_accuracy.Target]) / prediction.Shape.Rows);
    }

    /// <summary>Each gradient's L2 norm, summed in double precision (the values a chart plots on a log scale reach 1e-30).</summary>
    private ParameterNorms Norms(Tensor<T>[] gradients)
    {
        var values = new double[gradients.Length];
        for (var i = 0; i < gradients.Length; i++)
        {
            var sum = 0.0;
            foreach (var g in gradients[i].Data)
            {
                var v = double.CreateTruncating(g);
                sum += v * v;
            }
            values[i] = Math.Sqrt(sum);
        }
        return new ParameterNorms(Parameters.Names, values);
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
