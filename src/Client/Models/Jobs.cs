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
    /// <summary>True once the job is succeeded, failed or cancelled.</summary>
    public bool IsFinished => Status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled;
}

/// <summary>One epoch of a job's history: epochs count from 1.</summary>
public readonly record struct EpochPoint(int Epoch, double? Cost, double? ValidationCost);

public sealed record HistoryPage(string JobId, IReadOnlyList<EpochPoint> Points);

/// <summary>One page of a list, newest first; <see cref="Next"/> is the cursor of the next page, null on the last.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next);

public sealed record Weights(string JobId, int Epoch, IReadOnlyList<Parameter> Parameters);

/// <summary>A trained parameter: row-major <see cref="Values"/> of the given <see cref="Shape"/>.</summary>
public sealed record Parameter(string Name, int[] Shape, double?[] Values);
