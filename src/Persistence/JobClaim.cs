namespace BackpropService.Persistence;

/// <summary>
/// One claim of a job row by a worker: the lease it wrote (see <see cref="Entities.TrainingJob.AttemptToken"/>).
/// Every later write of that attempt is fenced by <paramref name="Token"/>. <paramref name="FirstStart"/>: the job had
/// never been claimed before (it had no <c>StartedAt</c>), so it has no checkpoint, history or weights to resume from.
/// </summary>
public sealed record JobClaim(string JobId, string Token, int Attempts, bool FirstStart = false);
