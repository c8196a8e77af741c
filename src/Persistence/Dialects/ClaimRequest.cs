namespace BackpropService.Persistence.Dialects;

/// <summary>Who claims a job and for how long: the lease runs from the claim's time for <paramref name="Lease"/>.</summary>
public sealed record ClaimRequest(string Owner, TimeSpan Lease, TimeProvider Time);
