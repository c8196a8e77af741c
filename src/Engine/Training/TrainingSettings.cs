namespace BackpropService.Engine;

/// <summary>
/// Hyperparameters of one training run. Same settings, data, network and seed: same bits. The initialisers are the
/// only defaults: the API fills what a request omits from them, and <see cref="TrainingSettingsValidator"/> checks them.
/// </summary>
public sealed record TrainingSettings
{
    public int Epochs { get; init; } = 1000;
    public double LearningRate { get; init; } = 0.1;
    public string Optimizer { get; init; } = "sgd";
    public double Momentum { get; init; } = 0.9;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.999;
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Rows per gradient step; null (or ≥ the training rows) is full batch.</summary>
    public int? BatchSize { get; init; }
    public ulong Seed { get; init; }

    /// <summary>Fraction of rows (0..0.5) held out, chosen by a seeded shuffle, to report a validation cost.</summary>
    public double ValidationSplit { get; init; }

    /// <summary>L2 coefficient λ: every gradient gets λθ added (PyTorch's weight_decay); the reported cost excludes it.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Stop once an epoch's cost is at most this.</summary>
    public double? TargetCost { get; init; }

    /// <summary>Reshuffle the training rows every epoch; default true when batched.</summary>
    public bool? Shuffle { get; init; }

    /// <summary>The rate per epoch (see <see cref="LearningRates.At"/>); null keeps <see cref="LearningRate"/> throughout.</summary>
    public LearningRateSchedule? LearningRateSchedule { get; init; }

    /// <summary>Scale all gradients so that their global L2 norm is at most this (torch.nn.utils.clip_grad_norm_), before weight decay.</summary>
    public double? ClipGradNorm { get; init; }

    /// <summary>Stop once the metric stops improving, keeping the best epoch's parameters; null trains every epoch.</summary>
    public EarlyStopping? EarlyStopping { get; init; }

    /// <summary>Report every epoch's per-parameter gradient L2 norms of its last batch, before clipping (<see cref="EpochReport.GradientNorms"/>).</summary>
    public bool RecordGradientNorms { get; init; }
}
