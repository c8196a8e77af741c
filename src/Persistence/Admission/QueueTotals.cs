namespace BackpropService.Persistence.Admission;

/// <summary>
/// The queue as an admission batch finds it, read once inside the batch's transaction: what the queue limits and the
/// new jobs' positions are counted from.
/// </summary>
/// <param name="Places">Queued jobs of their own plus one per sweep with queued trials (what <c>Limits:MaxQueuedJobs</c> bounds).</param>
/// <param name="Ahead">Jobs the worker claims before the batch's first job: expired leases, then queued jobs created before it.</param>
/// <param name="BoundedSweepsWait">A queued trial belongs to a sweep with maxConcurrent: positions need the walk of <c>QueuePositions</c>.</param>
public sealed record QueueTotals(int Places, int Ahead, bool BoundedSweepsWait);
