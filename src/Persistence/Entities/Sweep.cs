namespace BackpropService.Persistence.Entities;

/// <summary>
/// A sweep: many jobs (its trials, <see cref="TrainingJob.SweepId"/>) run as one experiment. It keeps no counts:
/// its status and counts are read from its trials' rows, so they stay right across kills and replicas.
/// </summary>
public sealed class Sweep
{
    public required string Id { get; init; }
    public required string Name { get; init; }

    /// <summary>The metric trials are ranked by (the Api's sweep metric table names it).</summary>
    public required string Metric { get; init; }

    /// <summary>At most this many of its trials train at once (the dialects' claim enforces it); null: no bound.</summary>
    public int? MaxConcurrent { get; init; }

    public DateTime CreatedAt { get; init; }

    /// <summary>When the sweep was cancelled (its unfinished trials with it); null while it was not.</summary>
    public DateTime? CancelledAt { get; set; }

    /// <summary>The API key owner who created it; "" when API keys are off.</summary>
    public string Owner { get; set; } = "";

    /// <summary>The client's Idempotency-Key for the POST that created the sweep, unique per owner; null without one.</summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>SHA-256 of that POST's body, so a reused key with a different body is told apart from a retry.</summary>
    public string? RequestHash { get; set; }
}
