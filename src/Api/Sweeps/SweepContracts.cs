using System.Text.Json;
using BackpropService.Api.Jobs;

namespace BackpropService.Api.Sweeps;

/// <summary>
/// A sweep: a job request (<see cref="Base"/>) and the job fields to vary, as a grid (every combination of the listed
/// values) and/or seeded random draws; every random draw is combined with every grid point.
/// </summary>
public sealed record CreateSweepRequest
{
    public string? Name { get; init; }
    public CreateJobRequest? Base { get; init; }

    /// <summary>Job field → the values to try, in order (cartesian product, the last field varying fastest).</summary>
    public Dictionary<string, JsonElement[]>? Grid { get; init; }

    public SweepRandomRequest? Random { get; init; }

    /// <summary>validationCost (default when the base holds rows out) or cost.</summary>
    public string? Metric { get; init; }

    /// <summary>At most this many trials of the sweep train at once; null: as many as the workers take.</summary>
    public int? MaxConcurrent { get; init; }
}

public sealed record SweepRandomRequest
{
    public int? Count { get; init; }

    /// <summary>The draws' own seed (default 0): the same request draws the same values.</summary>
    public ulong? Seed { get; init; }

    /// <summary>Job field → where its values are drawn from (exactly one of uniform, logUniform, choice).</summary>
    public Dictionary<string, SweepRangeRequest>? Space { get; init; }
}

public sealed record SweepRangeRequest
{
    public double[]? Uniform { get; init; }
    public double[]? LogUniform { get; init; }
    public JsonElement[]? Choice { get; init; }
}

public sealed record SweepResponse(
    string Id,
    string Name,
    string Status,
    string Metric,
    int? MaxConcurrent,
    SweepTrialCounts Trials,
    SweepBest? Best,
    DateTime CreatedAt,
    DateTime? FinishedAt);

public sealed record SweepTrialCounts(int Total, int Queued, int Running, int Succeeded, int Failed, int Cancelled);

public sealed record SweepBest(string JobId, JsonElement Params, double Value);

/// <summary>One row of the leaderboard; <see cref="Params"/> holds the varied fields only.</summary>
public sealed record TrialResponse(string JobId, JsonElement Params, string Status, int EpochsCompleted, double? Cost, double? ValidationCost, double? Value);

/// <summary>The hub's <c>trial</c> message: a trial's progress or status, sent to the sweep's subscribers.</summary>
public sealed record TrialMessage(string SweepId, string JobId, string Status, int EpochsCompleted, double? Cost, double? ValidationCost);
