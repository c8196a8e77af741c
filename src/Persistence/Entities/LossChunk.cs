namespace BackpropService.Persistence.Entities;

/// <summary>
/// A run of consecutive epochs of a job's history, FirstEpoch..LastEpoch, stored as one row: one chunk per flush.
/// </summary>
/// <remarks>
/// NOTE: why chunks and not a row per epoch: writing one row per epoch cost about 5 µs, which is more than an XOR
/// epoch takes to train (a 100,000-epoch job spent several times its training time writing history). One row per
/// flush of a few hundred milliseconds, its costs packed by <see cref="LossChunkCodec"/>, makes history nearly free.
/// </remarks>
public sealed class LossChunk
{
    public required string JobId { get; init; }
    public int FirstEpoch { get; init; }
    public int LastEpoch { get; set; }
    /// <summary>The costs of epochs FirstEpoch..LastEpoch, little-endian float64; NaN where a cost was not a finite number.</summary>
    public required byte[] Costs { get; set; }
    /// <summary>The validation costs, encoded like <see cref="Costs"/>; null when the job has no validation split.</summary>
    public byte[]? ValidationCosts { get; set; }
}
