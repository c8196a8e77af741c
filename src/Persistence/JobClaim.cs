namespace BackpropService.Persistence;

/// <summary>
/// One claim of a job row by a worker: the lease it wrote (see <see cref="Entities.TrainingJob.AttemptToken"/>).
/// Every later write of that attempt is fenced by <paramref name="Token"/>.
/// </summary>
public sealed record JobClaim(string JobId, string Token, int Attempts);
