namespace BackpropService.Persistence.Entities;

/// <summary>
/// A run of consecutive epochs of a job's history, FirstEpoch..LastEpoch, stored as one row: one chunk per flush.
/// </summary>
/// <remarks>
/// NOTE: chunks and not a row per epoch: a row per epoch cost more to write than a small network's epoch takes to
/// train (figures in docs/performance.md); <see cref="History.HistoryStore"/> owns the format.
/// </remarks>
public sealed class LossChunk
{
    public required string JobId { get; init; }
    public int FirstEpoch { get; init; }
    public int LastEpoch { get; set; }
    /// <summary>The costs of epochs FirstEpoch..LastEpoch, packed by <see cref="History.LossChunkCodec"/>; NaN where a cost was not a finite number.</summary>
    public required byte[] Costs { get; set; }
    /// <summary>The validation costs, encoded like <see cref="Costs"/>; null when the job has no validation split.</summary>
    public byte[]? ValidationCosts { get; set; }
    /// <summary>The training accuracies, encoded like <see cref="Costs"/>; null for a loss without accuracy (and in chunks written before accuracy was stored).</summary>
    public byte[]? Accuracies { get; set; }
    /// <summary>The validation accuracies, encoded like <see cref="Costs"/>; null without a validation split or an accuracy.</summary>
    public byte[]? ValidationAccuracies { get; set; }
    /// <summary>The per-parameter gradient norms (recordGradientNorms), packed by <see cref="History.GradientNormsCodec"/>; null when not recorded.</summary>
    public byte[]? GradientNorms { get; set; }
}
