namespace BackpropService.Persistence.Entities;

/// <summary>
/// A warm-started job's starting weights (one row per such job), copied from the source job's stored weights when
/// the job was admitted: the job trains from them even if the source job is deleted or retrained meanwhile.
/// <see cref="Parameters"/> is encoded like <see cref="WeightSnapshot.Parameters"/>.
/// </summary>
/// <remarks>NOTE: a table of its own, not a column of the jobs table: every job listing and claim reads job rows,
/// and a warm start's weights may be megabytes.</remarks>
public sealed class InitialWeights
{
    public required string JobId { get; init; }
    public required byte[] Parameters { get; init; }
}
