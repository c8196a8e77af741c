using System.Text.Json;

namespace BackpropService.Client.Models;

/// <summary>
/// <c>POST /api/sweeps</c>: a job request (<see cref="Base"/>) and the job fields to vary, as a <see cref="Grid"/>
/// (every combination of the listed values, the last field varying fastest) and/or seeded <see cref="Random"/>
/// draws; every draw is combined with every grid point. Values are JSON (<see cref="SweepValues.Of{T}"/> makes them).
/// </summary>
public sealed record SweepRequest
{
    public string? Name { get; init; }
    public JobRequest? Base { get; init; }
    /// <summary>Job field (<c>learningRate</c>, <c>seed</c>, <c>networkId</c>, …) → the values to try, in order.</summary>
    public IReadOnlyDictionary<string, JsonElement[]>? Grid { get; init; }
    public SweepRandom? Random { get; init; }
    /// <summary><c>cost</c>, <c>validationCost</c> (lower is better), <c>accuracy</c>, <c>validationAccuracy</c> (higher is better); the service picks a cost when null.</summary>
    public string? Metric { get; init; }
    /// <summary>At most this many of the sweep's trials train at once; null: as many as the workers take.</summary>
    public int? MaxConcurrent { get; init; }
}

/// <summary><see cref="Count"/> draws from <see cref="Space"/> with their own <see cref="Seed"/> (the same request draws the same values).</summary>
public sealed record SweepRandom
{
    public int? Count { get; init; }
    public ulong? Seed { get; init; }
    public IReadOnlyDictionary<string, SweepRange>? Space { get; init; }
}

/// <summary>Where one field's values are drawn from: exactly one of <see cref="Uniform"/>, <see cref="LogUniform"/> or <see cref="Choice"/>.</summary>
public sealed record SweepRange
{
    /// <summary><c>[low, high]</c>; whole-number fields round to the nearest.</summary>
    public double[]? Uniform { get; init; }
    /// <summary><c>[low, high]</c>, both above 0, drawn uniformly in log space.</summary>
    public double[]? LogUniform { get; init; }
    public JsonElement[]? Choice { get; init; }

    public static SweepRange Between(double low, double high) => new() { Uniform = [low, high] };
    public static SweepRange LogBetween(double low, double high) => new() { LogUniform = [low, high] };
    public static SweepRange OneOf<T>(params T[] values) => new() { Choice = SweepValues.Of(values) };
}

/// <summary>Grid and choice values as the JSON the service reads.</summary>
public static class SweepValues
{
    public static JsonElement[] Of<T>(params T[] values) =>
        values.Select(v => JsonSerializer.SerializeToElement(v, BackpropJson.Options)).ToArray();
}

public enum SweepStatus { Queued, Running, Succeeded, Failed, Cancelled }

/// <summary>A sweep: its trials' counts by status, the best succeeded trial so far, and when it ended.</summary>
public sealed record Sweep(
    string Id,
    string Name,
    SweepStatus Status,
    string Metric,
    int? MaxConcurrent,
    SweepTrialCounts Trials,
    SweepBest? Best,
    DateTime CreatedAt,
    DateTime? FinishedAt)
{
    /// <summary>True once the sweep succeeded, failed or was cancelled.</summary>
    public bool IsFinished => Status is SweepStatus.Succeeded or SweepStatus.Failed or SweepStatus.Cancelled;

    /// <summary>True for <c>accuracy</c> and <c>validationAccuracy</c>: the leaderboard sorts descending.</summary>
    public bool HigherIsBetter => Metric is "accuracy" or "validationAccuracy";
}

public sealed record SweepTrialCounts(int Total, int Queued, int Running, int Succeeded, int Failed, int Cancelled)
{
    public int Finished => Succeeded + Failed + Cancelled;
}

/// <summary>The succeeded trial with the best value; <see cref="Params"/> holds the varied fields only.</summary>
public sealed record SweepBest(string JobId, IReadOnlyDictionary<string, JsonElement> Params, double Value);

/// <summary>A row of the leaderboard: a trial's varied fields, progress and (once ended) its value.</summary>
public sealed record SweepTrial(
    string JobId,
    IReadOnlyDictionary<string, JsonElement> Params,
    JobStatus Status,
    int EpochsCompleted,
    double? Cost,
    double? ValidationCost,
    double? Value);

/// <summary>The hub's <c>trial</c> message: a running trial's progress (every half second) or a trial's new status.</summary>
public sealed record TrialUpdate(string SweepId, string JobId, JobStatus Status, int EpochsCompleted, double? Cost, double? ValidationCost);

/// <summary>What <see cref="BackpropClient.WatchSweepAsync"/> yields, in the order the service sent it.</summary>
public abstract record SweepUpdate
{
    private SweepUpdate() { }

    /// <summary>A trial's progress or status.</summary>
    public sealed record TrialChanged(TrialUpdate Trial) : SweepUpdate;

    /// <summary>The sweep as it is now: first at the subscription (again after a reconnect), then on each change of its counts or status.</summary>
    public sealed record SweepChanged(Sweep Sweep) : SweepUpdate;
}
