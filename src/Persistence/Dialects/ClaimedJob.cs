namespace BackpropService.Persistence.Dialects;

/// <summary>Who claims a job and for how long: the lease runs from the claim's time for <paramref name="Lease"/>.</summary>
public sealed record JobClaim(string Owner, TimeSpan Lease, TimeProvider Time);

/// <summary>A claimed job: its id, the new attempt token that fences every later write, and its attempts so far.</summary>
public sealed record ClaimedJob(string JobId, string Token, int Attempts);
