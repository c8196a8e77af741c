using BackpropService.Api.Datasets;
using BackpropService.Api.Networks;
using BackpropService.Engine;
using BackpropService.Persistence.Entities;
using System.Text.Json.Serialization;

namespace BackpropService.Api.Jobs;

/// <summary>
/// A training job: a network and a dataset (by id or inline) and the hyperparameters, each named as its
/// <see cref="BackpropService.Engine.TrainingSettings"/> property (<see cref="JobSettingsBinder"/> maps by name).
/// </summary>
public sealed record CreateJobRequest
{
    /// <summary>The id of a stored network (POST /api/networks); or give `network` inline instead.</summary>
    public string? NetworkId { get; init; }
    /// <summary>The id of a stored dataset (POST /api/datasets); or give `dataset` inline instead.</summary>
    public string? DatasetId { get; init; }
    /// <summary>The network inline (the POST /api/networks body); stored with the job. Exclusive with `networkId`.</summary>
    public CreateNetworkRequest? Network { get; init; }
    /// <summary>The dataset inline (the JSON POST /api/datasets body); stored with the job. Exclusive with `datasetId`.</summary>
    public CreateDatasetRequest? Dataset { get; init; }
    /// <summary>Required: passes over the training rows (at most Limits:MaxEpochs).</summary>
    public int? Epochs { get; init; }
    /// <summary>Required: the step size, above 0; used in float32.</summary>
    public double? LearningRate { get; init; }
    /// <summary>`sgd` (default), `momentum` or `adam`.</summary>
    public string? Optimizer { get; init; }
    /// <summary>The velocity's decay for `momentum` (default 0.9).</summary>
    public double? Momentum { get; init; }
    /// <summary>Adam's first-moment decay (default 0.9).</summary>
    public double? Beta1 { get; init; }
    /// <summary>Adam's second-moment decay (default 0.999).</summary>
    public double? Beta2 { get; init; }
    /// <summary>Adam's denominator guard (default 1e-8).</summary>
    public double? Epsilon { get; init; }
    /// <summary>Rows per gradient step; null (default) is the full batch.</summary>
    public int? BatchSize { get; init; }
    /// <summary>Seeds the initial weights, the shuffles and the validation split: same seed, same bits (default 0).</summary>
    public ulong? Seed { get; init; }
    /// <summary>Fraction of rows (0 to 0.5) held out to report `validationCost` (default 0).</summary>
    public double? ValidationSplit { get; init; }
    /// <summary>L2 coefficient λ added as λθ to every gradient; the reported cost excludes it (default 0).</summary>
    public double? WeightDecay { get; init; }
    /// <summary>Stop once an epoch's cost is at most this (default: train every epoch).</summary>
    public double? TargetCost { get; init; }
    /// <summary>Reshuffle the training rows every epoch (default: true when batched).</summary>
    public bool? Shuffle { get; init; }
    /// <summary>How the rate changes per epoch: `{ "type": "step" | "exponential" | "cosine", ... }`; null keeps `learningRate`.</summary>
    public LearningRateSchedule? LearningRateSchedule { get; init; }
    /// <summary>Scale the gradients so their global L2 norm is at most this, before weight decay (default: no clipping).</summary>
    public double? ClipGradNorm { get; init; }
    /// <summary>Stop once `metric` (`cost` or `validationCost`) has not improved by `minDelta` for `patience` epochs; `restoreBest` keeps the best epoch's weights.</summary>
    public EarlyStopping? EarlyStopping { get; init; }

    /// <summary>A warm start: begin from another job's stored weights instead of the initialisers.</summary>
    public InitialWeightsSource? InitialWeights { get; init; }

    /// <summary>Record every epoch's per-parameter gradient L2 norms (its last batch, before clipping) in history and stream.</summary>
    public bool? RecordGradientNorms { get; init; }
}

/// <summary><c>{ "fromJob": "ID" }</c>: the job whose stored weights (those /predict uses) a new job starts from.</summary>
public sealed record InitialWeightsSource
{
    public string? FromJob { get; init; }
}

public sealed record JobResponse(
    string Id,
    JobStatus Status,
    string NetworkId,
    string DatasetId,
    string? Name,
    string? Notes,
    IReadOnlyList<string> Tags,
    int Epochs,
    int EpochsCompleted,
    double? Cost,
    double? ValidationCost,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    string? Error,
    double LearningRate,
    string Optimizer,
    int? BatchSize,
    ulong Seed,
    int Attempts,
    double? CurrentLearningRate,
    bool StoppedEarly,
    int? BestEpoch,
    double? BestMetric,
    int? QueuePosition,
    InitialWeightsSource? InitialWeights,
    double? Accuracy,
    double? ValidationAccuracy,
    bool RecordGradientNorms,
    string? SweepId = null,
    // As requested (null without one): with learningRate and epochs it gives every epoch's rate (the page draws it).
    LearningRateSchedule? LearningRateSchedule = null);

/// <summary>
/// PATCH /api/jobs/{id}: the run's metadata, with JSON merge semantics: a member left out stays as it is; null
/// resets it (name back to the network's name, no notes, no tags).
/// </summary>
public sealed record JobMetadataPatch
{
    /// <summary>The run's name, shown in place of the network's name.</summary>
    public string? Name { get; init; }

    /// <summary>Free text about the run.</summary>
    public string? Notes { get; init; }

    /// <summary>The run's tags, replacing the ones it had; GET /api/jobs?tag= finds runs by one.</summary>
    public string[]? Tags { get; init; }
}

/// <summary>
/// One epoch of /history and of the stream; the accuracies are null unless the loss is a classification loss (see
/// docs/API.md); <see cref="GradientNorms"/> (by parameter name) only with recordGradientNorms, else left out.
/// </summary>
public readonly record struct HistoryPoint(int Epoch, double? Cost, double? ValidationCost, double? Accuracy = null, double? ValidationAccuracy = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, double?>? GradientNorms = null);

public sealed record HistoryResponse(string JobId, IReadOnlyList<HistoryPoint> Points);

public sealed record WeightsResponse(string JobId, int Epoch, IReadOnlyList<ParameterResponse> Parameters);

public sealed record ParameterResponse(string Name, int[] Shape, double?[] Values);

public sealed record PredictRequest
{
    public double[][]? Inputs { get; init; }
}

public sealed record PredictResponse(IReadOnlyList<double?[]> Outputs);
