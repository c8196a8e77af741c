using BackpropService.Api.Limits;
using BackpropService.Persistence;
using BackpropService.Persistence.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Reliability;

/// <summary>
/// Admission to the queue: at most <see cref="LimitsOptions.MaxQueuedJobsPerOwner"/> queued jobs per owner and
/// <see cref="LimitsOptions.MaxQueuedJobs"/> in all; past either, 429 with Retry-After, so one client cannot
/// bury everyone else's jobs under its own. A sweep with queued trials takes one place, however many it has
/// (<c>Limits:MaxSweepTrials</c> bounds those), so one sweep of 10,000 trials fits and 1,000 of them do not.
/// A job's admission applies the same limits inside its batch's transaction (<see cref="Jobs.Admission.JobAdmissions"/>).
/// </summary>
public static class QueueLimits
{
    public const int RetryAfterSeconds = 10;

    public static async Task<ProblemHttpResult?> CheckAsync(BackpropDbContext db, LimitsOptions limits, HttpResponse response, CancellationToken ct)
    {
        // The request's context sees only the caller's jobs when API keys are on (its owner filter).
        var mine = await Places(db.Jobs, ct);
        if (mine >= limits.MaxQueuedJobsPerOwner)
            return TooMany(response, OwnerFull(mine));
        // Without an owner filter (API keys off) the caller's places are all places: no second count.
        var all = db.OwnerFilter is null ? mine : await Places(db.Jobs.IgnoreQueryFilters(), ct);
        if (all >= limits.MaxQueuedJobs)
            return TooMany(response, QueueFull(all));
        return null;
    }

    public static string OwnerFull(int mine) =>
        $"You already have {mine} queued jobs, the most one owner may have (Limits:MaxQueuedJobsPerOwner); wait for some to start or cancel some.";

    public static string QueueFull(int all) => $"The queue is full ({all} jobs, Limits:MaxQueuedJobs); try again later.";

    /// <summary>Queued jobs of their own, plus one per sweep with queued trials.</summary>
    private static async Task<int> Places(IQueryable<TrainingJob> jobs, CancellationToken ct)
    {
        var queued = jobs.Where(j => j.Status == JobStatus.Queued);
        return await queued.CountAsync(j => j.SweepId == null, ct)
            + await queued.Where(j => j.SweepId != null).Select(j => j.SweepId).Distinct().CountAsync(ct);
    }

    public static ProblemHttpResult TooMany(HttpResponse response, string detail)
    {
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: 429, title: "Too Many Requests", detail: detail);
    }
}
