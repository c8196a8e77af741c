namespace BackpropService.Persistence.Entities;

/// <summary>The latest complete trainer state of a job (one row per job, overwritten), taken after epoch <see cref="Epoch"/>.</summary>
public sealed class Checkpoint
{
    public required string JobId { get; init; }
    public int Epoch { get; set; }
    public required byte[] State { get; set; }
    public DateTime SavedAt { get; set; }
}
