namespace BackpropService.Persistence.Entities;

/// <summary>
/// The latest weights of a job (one row per job): refreshed with every checkpoint and written once more,
/// with <see cref="IsFinal"/> set, when training ends. <see cref="Parameters"/> is an encoded list of named tensors.
/// </summary>
public sealed class WeightSnapshot
{
    public required string JobId { get; init; }
    public int Epoch { get; set; }
    public required byte[] Parameters { get; set; }
    public bool IsFinal { get; set; }
    public DateTime SavedAt { get; set; }
}
