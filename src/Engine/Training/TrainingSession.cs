using BackpropService.Engine.Training;

namespace BackpropService.Engine;

/// <summary>One job's training run in float32; blocking and CPU-bound, so run it on a thread of its own.</summary>
public sealed class TrainingSession
{
    private readonly Trainer<float> _trainer;

    private TrainingSession(Network network, TrainingData data, TrainingSettings settings, IReadOnlyList<NamedTensor>? initialParameters = null)
    {
        network.EnsureTrainableOn(data.FeatureCount, data.TargetCount);
        _trainer = new Trainer<float>(network.Validated, data, settings, initialParameters);
    }

    public int EpochsCompleted => _trainer.EpochsCompleted;

    /// <summary>Why the run failed ("diverged at epoch 37"), or null.</summary>
    public string? Error { get; private set; }

    public static TrainingSession Start(Network network, TrainingData data, TrainingSettings settings) => new(network, data, settings);

    /// <summary>
    /// A warm start: the parameters begin at <paramref name="initialParameters"/> (every parameter by name, same
    /// shapes, else <see cref="ArgumentException"/>) instead of their initialisers; the seed still fixes the
    /// validation split and the shuffles, so same seed and same values give the same bits.
    /// </summary>
    public static TrainingSession Start(Network network, TrainingData data, TrainingSettings settings, IReadOnlyList<NamedTensor>? initialParameters) =>
        new(network, data, settings, initialParameters);

    /// <summary>Continues from a checkpoint taken by <see cref="SaveCheckpoint"/> with the same network, data and settings.</summary>
    public static TrainingSession Resume(Network network, TrainingData data, TrainingSettings settings, byte[] checkpoint)
    {
        var session = new TrainingSession(network, data, settings);
        session._trainer.RestoreState(CheckpointSerializer.Read(checkpoint));
        return session;
    }

    /// <summary>Trains until the settings' epochs (or target cost, or early stop: whichever comes first), a divergence or a cancel.</summary>
    /// <param name="yieldEvery">
    /// If positive, the thread yields its core once per this much training (see <see cref="StepYielder"/>): for a
    /// service whose requests share the cores with its jobs. Zero (the default) never yields.
    /// </param>
    public TrainingOutcome Run(Action<EpochReport> onEpoch, CancellationToken cancellationToken, TimeSpan yieldEvery = default)
    {
        TrainingOutcome outcome;
        using (EngineThreading.EnterSession()) outcome = _trainer.Run(onEpoch, cancellationToken, StepYielder.Every(yieldEvery));
        if (outcome == TrainingOutcome.Diverged)
            Error = $"diverged at epoch {_trainer.DivergedAt}: the cost became NaN or infinite (try a smaller learning rate)";
        return outcome;
    }

    /// <summary>The complete state (parameters, optimizer moments, RNG position, row order, epoch); call between epochs.</summary>
    public byte[] SaveCheckpoint() => CheckpointSerializer.Write(_trainer.CaptureState());

    /// <summary>The parameters of the last epoch trained (what a checkpoint continues from).</summary>
    public IReadOnlyList<NamedTensor> Parameters() => _trainer.Parameters.ToNamedTensors();

    /// <summary>With early stopping, the epoch whose metric was best so far (0 before the first); null without it.</summary>
    public int? BestEpoch => _trainer.Stopper is { BestEpoch: > 0 } stopper ? stopper.BestEpoch : null;

    /// <summary>The metric (cost or validation cost) of <see cref="BestEpoch"/>; null without early stopping or before the first epoch.</summary>
    public double? BestMetric => BestEpoch is null ? null : _trainer.Stopper!.BestMetric;

    /// <summary>
    /// The best epoch's parameters when early stopping restores the best (the job's result then); null without
    /// restoreBest or before the first epoch.
    /// </summary>
    public IReadOnlyList<NamedTensor>? BestParameters() => BestEpoch is null || _trainer.Stopper!.BestParameters is not { } best
        ? null
        : _trainer.Parameters.Names.Select((name, i) => new NamedTensor(name, TensorData.From(new Tensor<float>(_trainer.Parameters.Tensors[i].Shape, best[i])))).ToArray();
}
