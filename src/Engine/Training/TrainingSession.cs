using BackpropService.Engine.Training;

namespace BackpropService.Engine;

/// <summary>One job's training run in float32; blocking and CPU-bound, so run it on a thread of its own.</summary>
public sealed class TrainingSession
{
    private readonly Trainer<float> _trainer;

    private TrainingSession(Network network, TrainingData data, TrainingSettings settings)
    {
        network.EnsureTrainableOn(data.FeatureCount, data.TargetCount);
        _trainer = new Trainer<float>(network.Validated, data, settings);
    }

    public int EpochsCompleted => _trainer.EpochsCompleted;

    /// <summary>Why the run failed ("diverged at epoch 37"), or null.</summary>
    public string? Error { get; private set; }

    public static TrainingSession Start(Network network, TrainingData data, TrainingSettings settings) => new(network, data, settings);

    /// <summary>Continues from a checkpoint taken by <see cref="SaveCheckpoint"/> with the same network, data and settings.</summary>
    public static TrainingSession Resume(Network network, TrainingData data, TrainingSettings settings, byte[] checkpoint)
    {
        var session = new TrainingSession(network, data, settings);
        session._trainer.RestoreState(CheckpointSerializer.Read(checkpoint));
        return session;
    }

    /// <summary>Trains until the settings' epochs (or target cost), a divergence or a cancel.</summary>
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

    public IReadOnlyList<NamedTensor> Parameters() => _trainer.Parameters.ToNamedTensors();
}
