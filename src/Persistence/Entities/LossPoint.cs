namespace BackpropService.Persistence.Entities;

/// <summary>One completed epoch of a job: one row per epoch, keyed (JobId, Epoch), so replaying the chart is one range scan.</summary>
public sealed class LossPoint
{
    public required string JobId { get; init; }
    public int Epoch { get; init; }
    /// <summary>Null when the cost was not a finite number (the epoch a job diverged).</summary>
    public double? Cost { get; init; }
    public double? ValidationCost { get; init; }
}
