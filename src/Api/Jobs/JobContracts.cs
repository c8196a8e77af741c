using BackpropService.Api.Datasets;
using BackpropService.Api.Networks;
using BackpropService.Engine;
using BackpropService.Persistence.Entities;

namespace BackpropService.Api.Jobs;

/// <summary>
/// A training job: a network and a dataset (by id or inline) and the hyperparameters, each named as its
/// <see cref="BackpropService.Engine.TrainingSettings"/> property (<see cref="JobSettingsBinder"/> maps by name).
/// </summary>
public sealed record CreateJobRequest
{
    public string? NetworkId { get; init; }
    public string? DatasetId { get; init; }
    public CreateNetworkRequest? Network { get; init; }
    public CreateDatasetRequest? Dataset { get; init; }
    public int? Epochs { get; init; }
    public double? LearningRate { get; init; }
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
    public LearningRateSchedule? LearningRateSchedule { get; init; }
    public double? ClipGradNorm { get; init; }
    public EarlyStopping? EarlyStopping { get; init; }
}

public sealed record JobResponse(
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
    string Optimizer,
    int? BatchSize,
    ulong Seed,
    int Attempts,
    double? CurrentLearningRate,
    bool StoppedEarly,
    int? BestEpoch,
    double? BestMetric,
    int? QueuePosition,
    string? SweepId = null);

public readonly record struct HistoryPoint(int Epoch, double? Cost, double? ValidationCost);

public sealed record HistoryResponse(string JobId, IReadOnlyList<HistoryPoint> Points);

public sealed record WeightsResponse(string JobId, int Epoch, IReadOnlyList<ParameterResponse> Parameters);

public sealed record ParameterResponse(string Name, int[] Shape, double?[] Values);

public sealed record PredictRequest
{
    public double[][]? Inputs { get; init; }
}

public sealed record PredictResponse(IReadOnlyList<double?[]> Outputs);
