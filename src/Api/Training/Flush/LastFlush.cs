using BackpropService.Engine;

namespace BackpropService.Api.Training;

/// <summary>
/// A job's last epochs, stored in the transaction that ends it (<see cref="JobLeases.FinishAsync"/>): one commit for
/// the last flush, the end and the weights instead of two. Its fields are <see cref="AttemptStore.StoreAsync"/>'s.
/// </summary>
public sealed record LastFlush(IReadOnlyList<EpochReport> Points, bool ReplacesStored, int StreamedThrough);
