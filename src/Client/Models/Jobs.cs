namespace BackpropService.Client.Models;

/// <summary>
/// <c>POST /api/jobs</c>: a network and a dataset (by id or inline) and the training settings; unset fields take
/// the service's defaults.
/// </summary>
public sealed record JobRequest
{
    public string? NetworkId { get; init; }
    public string? DatasetId { get; init; }
    public NetworkDefinition? Network { get; init; }
    public DatasetDefinition? Dataset { get; init; }
    public int? Epochs { get; init; }
    public double? LearningRate { get; init; }
    /// <summary><c>sgd</c> (default), <c>momentum</c> or <c>adam</c>.</summary>
    public string? Optimizer { get; init; }
    public double? Momentum { get; init; }
    public double? Beta1 { get; init; }
    public double? Beta2 { get; init; }
    public double? Epsilon { get; init; }
    public int? BatchSize { get; init; }
    public ulong? Seed { get; init; }
    public double? ValidationSplit { get; init; }
    public double? WeightDecay { get; init; }
    public double? TargetCost { get; init; }
    public bool? Shuffle { get; init; }
    /// <summary>How the rate changes per epoch (v1.1); null keeps it constant.</summary>
    public LearningRateSchedule? LearningRateSchedule { get; init; }
    /// <summary>Clip the global L2 norm of all parameter gradients to this before each update (v1.1).</summary>
    public double? ClipGradNorm { get; init; }
    /// <summary>Stop once the metric stops improving (v1.1).</summary>
    public EarlyStopping? EarlyStopping { get; init; }
    /// <summary>Start from another job's stored weights instead of the initialisers (v1.1; not in a sweep's base).</summary>
    public InitialWeights? InitialWeights { get; init; }
    /// <summary>Record each epoch's per-parameter gradient L2 norms in the history and the stream (v1.1).</summary>
    public bool? RecordGradientNorms { get; init; }
}

/// <summary><c>{ "fromJob": "ID" }</c>: the job whose stored weights (those /predict uses) a new job starts from.</summary>
public sealed record InitialWeights(string FromJob);

/// <summary>
/// A learning-rate schedule, PyTorch's formulas stepped once per epoch: <c>step</c> (<see cref="StepSize"/>,
/// <see cref="Gamma"/>), <c>exponential</c> (<see cref="Gamma"/>) or <c>cosine</c> (<see cref="MinLearningRate"/>),
/// optionally after <see cref="WarmupEpochs"/> of linear warm-up.
/// </summary>
public sealed record LearningRateSchedule
{
    public required string Type { get; init; }
    public int? StepSize { get; init; }
    public double? Gamma { get; init; }
    public double? MinLearningRate { get; init; }
    public int? WarmupEpochs { get; init; }
}

/// <summary>
/// Early stopping: the job ends once <see cref="Metric"/> (<c>validationCost</c> or <c>cost</c>; the service picks
/// by the validation split when null) has not improved by more than <see cref="MinDelta"/> for <see cref="Patience"/> epochs.
/// </summary>
public sealed record EarlyStopping
{
    public string? Metric { get; init; }
    public int? Patience { get; init; }
    public double? MinDelta { get; init; }
    public bool? RestoreBest { get; init; }
}

public enum JobStatus { Queued, Running, Succeeded, Failed, Cancelled }

public sealed record Job(
    string Id,
    JobStatus Status,
    string NetworkId,
    string DatasetId,
    int Epochs,
    int EpochsCompleted,
    double? Cost,
    double? ValidationCost,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    string? Error,
    double LearningRate,
    string? Optimizer,
    int? BatchSize,
    ulong? Seed)
{
    /// <summary>The schedule as requested (v1.1); null without one. With LearningRate and Epochs it gives every epoch's rate.</summary>
    public LearningRateSchedule? LearningRateSchedule { get; init; }
    /// <summary>The rate of the last epoch trained (v1.1); null before the first.</summary>
    public double? CurrentLearningRate { get; init; }
    /// <summary>True when early stopping ended the job (v1.1).</summary>
    public bool StoppedEarly { get; init; }
    /// <summary>With early stopping, the best epoch and its metric once the job finished (v1.1); null otherwise.</summary>
    public int? BestEpoch { get; init; }
    public double? BestMetric { get; init; }
    /// <summary>1 for the job the worker claims next, 2 for the one after, … while queued (v1.1); null otherwise.</summary>
    public int? QueuePosition { get; init; }
    /// <summary>The run's name: the network's name until renamed (<see cref="BackpropClient.UpdateJobAsync"/>).</summary>
    public string? Name { get; init; }
    /// <summary>Free text about the run, or null.</summary>
    public string? Notes { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>The sweep this job is a trial of (v1.1); null for a job of its own.</summary>
    public string? SweepId { get; init; }
    /// <summary>The warm start as requested (v1.1); null for a cold start.</summary>
    public InitialWeights? InitialWeights { get; init; }
    /// <summary>The last stored epoch's accuracies for a classification loss (v1.1); null for mse, before the first epoch, or without a validation split.</summary>
    public double? Accuracy { get; init; }
    public double? ValidationAccuracy { get; init; }
    public bool RecordGradientNorms { get; init; }

    /// <summary>True once the job is succeeded, failed or cancelled.</summary>
    public bool IsFinished => Status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled;
}

/// <summary>One epoch of a job's history: epochs count from 1.</summary>
public readonly record struct EpochPoint(int Epoch, double? Cost, double? ValidationCost)
{
    /// <summary>For a classification loss, the fraction of rows all of whose outputs are right (v1.1); null otherwise.</summary>
    public double? Accuracy { get; init; }
    public double? ValidationAccuracy { get; init; }
}

public sealed record HistoryPage(string JobId, IReadOnlyList<EpochPoint> Points);

/// <summary>One page of a list, newest first; <see cref="Next"/> is the cursor of the next page, null on the last.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next);

public sealed record Weights(string JobId, int Epoch, IReadOnlyList<Parameter> Parameters);

/// <summary>A trained parameter: row-major <see cref="Values"/> of the given <see cref="Shape"/>.</summary>
public sealed record Parameter(string Name, int[] Shape, double?[] Values);
