namespace BackpropService.Persistence.Entities;

/// <summary>A dataset stored compactly: features and targets as row-major little-endian float32 blobs.</summary>
public sealed class Dataset
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public int Rows { get; init; }
    public int FeatureCount { get; init; }
    public int TargetCount { get; init; }
    public required byte[] Features { get; init; }
    public required byte[] Targets { get; init; }

    /// <summary>Class names of a one-hot target, as a JSON array; null for numeric targets.</summary>
    public string? ClassesJson { get; init; }

    public DateTime CreatedAt { get; init; }

    /// <summary>The API key owner who created it; "" when API keys are off.</summary>
    public string Owner { get; set; } = "";
}
