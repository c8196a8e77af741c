using BackpropService.Api.Infrastructure;
using BackpropService.Api.Jobs;
using BackpropService.Api.Networks;
using BackpropService.Api.Reliability;
using BackpropService.Persistence;
using BackpropService.Persistence.Bulk;
using BackpropService.Persistence.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Sweeps;

public static class SweepsApi
{
    public static RouteGroupBuilder MapSweepsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/sweeps").WithTags("Sweeps");
        group.MapPost("/", CreateSweepAsync).WithName("CreateSweep").WithSummary("Queue a sweep: a grid and/or seeded random draws of job fields, one job per trial");
        group.MapGet("/", ListSweepsAsync).WithName("ListSweeps").WithSummary("List sweeps newest first, with a cursor");
        group.MapGet("/{id}", GetSweepAsync).WithName("GetSweep").WithSummary("A sweep's status, trial counts and best trial");
        group.MapGet("/{id}/trials", GetTrialsAsync).WithName("GetSweepTrials").WithSummary("The leaderboard: ended trials best first, then the unfinished ones");
        group.MapPost("/{id}/cancel", CancelSweepAsync).WithName("CancelSweep").WithSummary("Cancel every unfinished trial of a sweep");
        return group;
    }

    // Checks every trial, then creates the sweep, any inline network and dataset and all trials in one transaction:
    // all of them or nothing. The trials go in as a bulk insert. (A comment, not an XML summary: Swagger would show
    // that in place of the endpoint's own summary.)
    public static async Task<Results<Accepted<SweepResponse>, ValidationProblem, ProblemHttpResult>> CreateSweepAsync(
        CreateSweepRequest request, HttpContext http, [AsParameters] SweepServices services, CancellationToken ct)
    {
        var db = services.Db;
        var idempotency = JobIdempotency.Read(http.Request, request);
        if (idempotency.Problem is { } badKey) return badKey;
        if (await FindEarlierAsync(idempotency, db, http.Response, ct) is { } earlier) return earlier;
        // A sweep takes one place in the queue limits, however many trials it has (Limits:MaxSweepTrials bounds those).
        if (await QueueLimits.CheckAsync(db, services.Limits.Value, http.Response, ct) is { } full) return full;

        var errors = new ValidationErrors();
        var built = await SweepFactory.BuildAsync(request, db, services.Limits.Value, services.Json.Value.SerializerOptions, services.Time.GetUtcNow().UtcDateTime, errors, ct);
        if (built is null) return Problems.Validation(errors);

        var sweep = built.Sweep;
        (sweep.IdempotencyKey, sweep.RequestHash) = (idempotency.Key, idempotency.Hash);
        db.Sweeps.Add(sweep);
        try
        {
            await using var tx = await db.BeginWriteAsync(ct);
            await db.SaveChangesAsync(ct); // the sweep and inline parts, stamped with the caller's owner
            foreach (var trial in built.Trials) trial.Owner = sweep.Owner;
            await BulkInsert.InsertAsync(db, built.Trials, services.Dialect.BulkInsertRowsPerStatement, ct);
            await tx.CommitAsync(ct);
        }
        catch (Exception ex) when (idempotency.Key is not null && services.Dialect.IsUniqueViolation(ex))
        {
            db.ChangeTracker.Clear();
            if (await FindEarlierAsync(idempotency, db, http.Response, ct) is { } winner) return winner;
            throw;
        }
        catch (Exception ex) when (services.Dialect.IsForeignKeyViolation(ex))
        {
            return Problems.Conflict("A network or dataset of the sweep was deleted while it was being created; nothing was queued.");
        }
        services.Queue.Nudge();
        var total = built.Trials.Count;
        return TypedResults.Accepted($"/api/sweeps/{sweep.Id}", new SweepResponse(sweep.Id, sweep.Name, "queued", sweep.Metric, sweep.MaxConcurrent,
            new SweepTrialCounts(total, total, 0, 0, 0, 0), null, sweep.CreatedAt, null));
    }

    public static async Task<Results<Ok<Page<SweepResponse>>, ValidationProblem>> ListSweepsAsync(
        [AsParameters] SweepServices services, int? limit, string? cursor, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var take = Problems.Limit(limit, 50, services.Limits.Value.MaxListPage, errors);
        if (!PageCursor.TryDecode(cursor, out var after)) errors.Add("cursor", "is not a cursor this service returned.");
        if (errors.Any) return Problems.Validation(errors);

        var query = services.Db.Sweeps.AsNoTracking();
        if (after is not null)
            query = query.Where(s => s.CreatedAt < after.CreatedAt || (s.CreatedAt == after.CreatedAt && s.Id.CompareTo(after.Id) < 0));
        var items = await query.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).Take(take + 1).ToListAsync(ct);
        var next = items.Count > take ? new PageCursor(items[take - 1].CreatedAt, items[take - 1].Id).Encode() : null;
        return TypedResults.Ok(new Page<SweepResponse>(await SweepReader.ReadAsync(services.Db, items.Take(take).ToList(), ct), next));
    }

    // NOTE: the context only, not SweepServices: clients poll this, and each service resolved costs every request.
    public static async Task<Results<Ok<SweepResponse>, ProblemHttpResult>> GetSweepAsync(string id, BackpropDbContext db, CancellationToken ct)
    {
        var sweep = await SweepReader.ByIdAsync(db, id, ct);
        if (sweep is null) return Problems.NotFound("Sweep", id);
        return TypedResults.Ok(await SweepReader.ReadAsync(db, sweep, ct));
    }

    public static async Task<Results<Ok<Page<TrialResponse>>, ValidationProblem, ProblemHttpResult>> GetTrialsAsync(
        string id, [AsParameters] SweepServices services, int? limit, string? cursor, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var take = Problems.Limit(limit, 50, services.Limits.Value.MaxListPage, errors);
        if (!OffsetCursor.TryDecode(cursor, out var offset)) errors.Add("cursor", "is not a cursor this service returned.");
        if (errors.Any) return Problems.Validation(errors);
        var sweep = await services.Db.Sweeps.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        if (sweep is null) return Problems.NotFound("Sweep", id);
        var (items, next) = await SweepReader.LeaderboardAsync(services.Db, sweep, offset, take, ct);
        return TypedResults.Ok(new Page<TrialResponse>(items, next is { } n ? OffsetCursor.Encode(n) : null));
    }

    // Marks the sweep cancelled (once: a second cancel is a 409), cancels its queued trials at once and flags its
    // running ones, which their workers end as cancelled (here at once, on other replicas at their next heartbeat).
    public static async Task<Results<Accepted<SweepResponse>, ProblemHttpResult>> CancelSweepAsync(string id, [AsParameters] SweepServices services, CancellationToken ct)
    {
        var db = services.Db;
        var sweep = await db.Sweeps.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        if (sweep is null) return Problems.NotFound("Sweep", id);
        var before = await SweepReader.ReadAsync(db, sweep, ct);
        var now = services.Time.GetUtcNow().UtcDateTime;
        if (before.Status is "succeeded" or "failed" or "cancelled" ||
            await db.Sweeps.Where(s => s.Id == id && s.CancelledAt == null).ExecuteUpdateAsync(s => s.SetProperty(x => x.CancelledAt, now), ct) == 0)
            return Problems.Conflict($"Sweep '{id}' already ended ({before.Status}); there is nothing to cancel.");

        var queued = await db.Jobs.Where(j => j.SweepId == id && j.Status == JobStatus.Queued).Select(j => j.Id).ToListAsync(ct);
        await db.Jobs.Where(j => j.SweepId == id && j.Status == JobStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.Cancelled)
                .SetProperty(j => j.CancelRequested, true).SetProperty(j => j.FinishedAt, now), ct);
        await db.Jobs.Where(j => j.SweepId == id && j.Status == JobStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.CancelRequested, true), ct);
        foreach (var running in await db.Jobs.Where(j => j.SweepId == id && j.Status == JobStatus.Running).Select(j => j.Id).ToListAsync(ct))
            services.Cancellations.Cancel(running);
        await services.Events.PublishCancelledAsync(id, queued);

        var after = await db.Sweeps.AsNoTracking().FirstAsync(s => s.Id == id, ct);
        return TypedResults.Accepted($"/api/sweeps/{id}", await SweepReader.ReadAsync(db, after, ct));
    }

    /// <summary>The sweep an earlier POST with the same Idempotency-Key created (202 again), a 422 if that request differed, or null.</summary>
    private static async Task<Results<Accepted<SweepResponse>, ValidationProblem, ProblemHttpResult>?> FindEarlierAsync(
        JobIdempotency idempotency, Persistence.BackpropDbContext db, HttpResponse response, CancellationToken ct)
    {
        if (idempotency.Key is not { } key) return null;
        var earlier = await db.Sweeps.AsNoTracking().FirstOrDefaultAsync(s => s.IdempotencyKey == key, ct);
        if (earlier is null) return null;
        if (earlier.RequestHash != idempotency.Hash)
            return TypedResults.Problem(statusCode: 422, title: "Unprocessable Content",
                detail: $"The {JobIdempotency.HeaderName} '{key}' was already used for a different request (sweep '{earlier.Id}'); use a new key for a new sweep.");
        response.Headers[JobIdempotency.ReplayedHeaderName] = "true";
        return TypedResults.Accepted($"/api/sweeps/{earlier.Id}", await SweepReader.ReadAsync(db, earlier, ct));
    }
}
