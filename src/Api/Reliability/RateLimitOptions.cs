namespace BackpropService.Api.Reliability;

/// <summary>
/// Per-client token buckets (bound from "RateLimits") on the two endpoints that start work: job submission and
/// graph evaluation. A client is its API key's owner when keys are on, else its IP address.
/// </summary>
public sealed class RateLimitOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>POST /api/jobs: a burst of this many...</summary>
    public int JobSubmissionBurst { get; set; } = 200;

    /// <summary>...refilled at this many per second.</summary>
    public int JobSubmissionsPerSecond { get; set; } = 20;

    /// <summary>POST /api/graphs/evaluate: a burst of this many...</summary>
    public int EvaluateBurst { get; set; } = 100;

    /// <summary>...refilled at this many per second.</summary>
    public int EvaluationsPerSecond { get; set; } = 50;
}
