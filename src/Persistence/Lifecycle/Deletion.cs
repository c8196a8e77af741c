namespace BackpropService.Persistence.Lifecycle;

/// <summary>What a delete did: removed the row, found no such row (for this owner), or found an active job using it.</summary>
public enum DeletionOutcome
{
    Deleted,
    NotFound,
    InUse,
}

/// <summary>The outcome and, for <see cref="DeletionOutcome.InUse"/>, the queued or running job that blocked it.</summary>
public sealed record Deletion(DeletionOutcome Outcome, string? BlockingJobId = null, string? BlockingStatus = null)
{
    public static readonly Deletion Deleted = new(DeletionOutcome.Deleted);
    public static readonly Deletion NotFound = new(DeletionOutcome.NotFound);
}
