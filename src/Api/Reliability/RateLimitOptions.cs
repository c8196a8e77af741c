namespace BackpropService.Api.Reliability;

/// <summary>
/// Per-client token buckets (bound from "RateLimits") on the endpoints that start work: job submission, graph
/// evaluation, prediction and graph reads, each counted in requests; and one bucket of compute units that those
/// which compute (evaluate, predict, graph?row=) draw from in proportion to their cost. A client is its API key's
/// owner when keys are on, else its IP address.
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

    /// <summary>POST /api/jobs/{id}/predict: a burst of this many...</summary>
    public int PredictBurst { get; set; } = 100;

    /// <summary>...refilled at this many per second.</summary>
    public int PredictionsPerSecond { get; set; } = 50;

    /// <summary>GET /api/jobs/{id}/graph: a burst of this many...</summary>
    public int GraphReadBurst { get; set; } = 100;

    /// <summary>...refilled at this many per second.</summary>
    public int GraphReadsPerSecond { get; set; } = 50;

    /// <summary>
    /// Compute units a client may spend in a burst; a unit is 1,000 numbers a request computes (an evaluation's values
    /// and gradients, a prediction's activations), so the largest request allowed costs thousands of the smallest.
    /// </summary>
    public int ComputeBurst { get; set; } = 20_000;

    /// <summary>...refilled at this many units per second.</summary>
    public int ComputeUnitsPerSecond { get; set; } = 10_000;
}
