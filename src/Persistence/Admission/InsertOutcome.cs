namespace BackpropService.Persistence.Admission;

/// <summary>What became of one admission's rows in a batch (its savepoint rolled back unless <see cref="Inserted"/>).</summary>
public enum InsertOutcome
{
    Inserted,

    /// <summary>Another job of the same owner already has the Idempotency-Key (a racing duplicate, perhaps in the same batch).</summary>
    DuplicateKey,

    /// <summary>The job's network or dataset no longer exists (deleted after the request read it).</summary>
    MissingParts,
}
