using BackpropService.Persistence.Entities;

namespace BackpropService.Api.Training;

/// <summary>
/// Where a claimed job resumes: its checkpoint (null: from scratch) at epoch <see cref="CheckpointEpoch"/>, and the
/// costs already stored for the epochs after it, which the resumed run replays without writing or streaming them,
/// and the last stored epoch known to have been streamed (<see cref="TrainingJob.StreamedThrough"/>).
/// </summary>
public sealed class ResumePoint(Checkpoint? checkpoint, int checkpointEpoch, double[] storedCosts, int streamedThrough)
{
    /// <summary>A job's first start: no checkpoint, nothing stored.</summary>
    public static ResumePoint FromScratch { get; } = new(null, 0, [], 0);

    /// <summary>The stored epochs after it may never have been sent: their attempt ended between persist and publish.</summary>
    public int StreamedThrough { get; } = streamedThrough;

    public Checkpoint? Checkpoint { get; } = checkpoint;
    public int CheckpointEpoch { get; } = checkpointEpoch;
    /// <summary>The last epoch already in the history (≥ <see cref="CheckpointEpoch"/>).</summary>
    public int StoredThrough => CheckpointEpoch + storedCosts.Length;

    /// <summary>
    /// True when <paramref name="epoch"/> is already stored with exactly this cost (bit for bit; any two non-finite
    /// costs match, as they are stored as NaN). False past the stored history or on a different cost.
    /// </summary>
    public bool IsStored(int epoch, double cost)
    {
        if (epoch <= CheckpointEpoch || epoch > StoredThrough) return false;
        var stored = storedCosts[epoch - CheckpointEpoch - 1];
        return double.IsFinite(cost) ? BitConverter.DoubleToInt64Bits(stored) == BitConverter.DoubleToInt64Bits(cost) : !double.IsFinite(stored);
    }
}
