namespace BackpropService.Persistence.Dialects;

/// <summary>
/// A job the claim may take, as the claim's seek read it, in queue order (<paramref name="FirstStart"/> as in
/// <see cref="JobClaim"/>). <paramref name="SweepRoom"/>: for a queued
/// trial of a sweep with <c>maxConcurrent</c>, how many more of its trials may start (its bound minus its running
/// trials when read); null when nothing bounds it (a job of its own, a sweep without a bound, a takeover).
/// </summary>
internal sealed record ClaimCandidate(string Id, int Attempts, bool FirstStart, string? SweepId, int? SweepRoom)
{
    /// <summary>
    /// The candidates a claim of up to <paramref name="count"/> jobs takes, in order (expired leases first, then the
    /// queued, as read): a trial is skipped once the jobs taken before it in this claim filled its sweep's room, as
    /// one-by-one claims would have skipped it.
    /// </summary>
    public static List<ClaimCandidate> Pick(IEnumerable<ClaimCandidate> ordered, int count)
    {
        var picked = new List<ClaimCandidate>(count);
        Dictionary<string, int>? taken = null;
        foreach (var candidate in ordered)
        {
            if (picked.Count == count) break;
            if (candidate is { SweepId: { } sweep, SweepRoom: { } room })
            {
                taken ??= [];
                var already = taken.GetValueOrDefault(sweep);
                if (already >= room) continue;
                taken[sweep] = already + 1;
            }
            picked.Add(candidate);
        }
        return picked;
    }
}
