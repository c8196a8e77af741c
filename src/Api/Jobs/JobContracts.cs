using BackpropService.Api.Datasets;
using BackpropService.Api.Networks;
using BackpropService.Persistence.Entities;

namespace BackpropService.Api.Jobs;

/// <summary>A training job: a network and a dataset (by id or inline) and the hyperparameters.</summary>
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
}

/// <summary>The hyperparameters as stored with the job (defaults filled in, seed chosen).</summary>
public sealed record JobSettings(
    int Epochs, double LearningRate, string Optimizer, double Momentum, double Beta1, double Beta2, double Epsilon,
    int? BatchSize, ulong Seed, double ValidationSplit, double WeightDecay, double? TargetCost, bool? Shuffle);

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
    int Attempts);

public readonly record struct HistoryPoint(int Epoch, double? Cost, double? ValidationCost);

public sealed record HistoryResponse(string JobId, IReadOnlyList<HistoryPoint> Points);

public sealed record WeightsResponse(string JobId, int Epoch, IReadOnlyList<ParameterResponse> Parameters);

public sealed record ParameterResponse(string Name, int[] Shape, double?[] Values);

public sealed record PredictRequest
{
    public double[][]? Inputs { get; init; }
}

public sealed record PredictResponse(IReadOnlyList<double?[]> Outputs);
