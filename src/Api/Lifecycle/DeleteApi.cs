using BackpropService.Api.Infrastructure;
using BackpropService.Persistence;
using BackpropService.Persistence.Dialects;
using BackpropService.Persistence.Lifecycle;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BackpropService.Api.Lifecycle;

/// <summary>
/// <c>DELETE /api/networks/{id}</c>, <c>/api/datasets/{id}</c> and <c>/api/jobs/{id}</c>: 204, 404 (no such id for
/// this owner), or 409 naming the queued or running job in the way. The check and the delete are one conditional
/// statement (<see cref="Deletions"/>), so a job claimed or created meanwhile cannot be orphaned.
/// </summary>
public static class DeleteApi
{
    public static RouteHandlerBuilder MapDeleteNetwork(this RouteGroupBuilder group) =>
        group.MapDelete("/{id}", (string id, BackpropDbContext db, IDatabaseDialect dialect, JobPartsCache parts, CancellationToken ct) =>
                RunAsync("Network", id, dialect, () => Evicting(parts, id, Deletions.DeleteNetworkAsync(db, id, ct))))
            .WithName("DeleteNetwork").WithSummary("Delete a network and the finished jobs trained on it (409 while a queued or running job uses it)")
            .Documented();

    public static RouteHandlerBuilder MapDeleteDataset(this RouteGroupBuilder group) =>
        group.MapDelete("/{id}", (string id, BackpropDbContext db, IDatabaseDialect dialect, JobPartsCache parts, CancellationToken ct) =>
                RunAsync("Dataset", id, dialect, () => Evicting(parts, id, Deletions.DeleteDatasetAsync(db, id, ct))))
            .WithName("DeleteDataset").WithSummary("Delete a dataset and the finished jobs trained on it (409 while a queued or running job uses it)")
            .Documented();

    public static RouteHandlerBuilder MapDeleteJob(this RouteGroupBuilder group) =>
        group.MapDelete("/{id}", (string id, BackpropDbContext db, IDatabaseDialect dialect, CancellationToken ct) =>
                RunAsync("Job", id, dialect, () => Deletions.DeleteJobAsync(db, id, ct)))
            .WithName("DeleteJob").WithSummary("Delete a finished job with its history, checkpoints and weights (409 while queued or running: cancel first)")
            .Documented();

    // Admission caches networks and datasets by id (immutable until deleted): a deleted one leaves the cache with its row.
    private static async Task<Deletion> Evicting(JobPartsCache parts, string id, Task<Deletion> delete)
    {
        try { return await delete; }
        finally { parts.Evict(id); }
    }

    private static RouteHandlerBuilder Documented(this RouteHandlerBuilder route) =>
        route.Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

    private static async Task<Results<NoContent, ProblemHttpResult>> RunAsync(string what, string id, IDatabaseDialect dialect, Func<Task<Deletion>> delete)
    {
        Deletion deletion;
        // A job referring to the row was added in the instant between the statement's check and its delete (PostgreSQL
        // re-checks the key at commit): the same answer as a check that saw it.
        try { deletion = await delete(); }
        catch (Exception ex) when (dialect.IsForeignKeyViolation(ex))
        {
            return Problems.Conflict($"{what} '{id}' is used by a job created just now; cancel that job or wait for it to finish, then delete again.");
        }
        return deletion.Outcome switch
        {
            DeletionOutcome.Deleted => TypedResults.NoContent(),
            DeletionOutcome.NotFound => Problems.NotFound(what, id),
            _ when what == "Job" => Problems.Conflict(
                $"Job '{id}' is {deletion.BlockingStatus?.ToLowerInvariant()}; cancel it first (POST /api/jobs/{id}/cancel), then delete it once it has stopped."),
            _ when deletion.BlockingJobId is null => Problems.Conflict($"{what} '{id}' was in use by a job that has just finished; delete again."),
            _ => Problems.Conflict(
                $"{what} '{id}' is used by job '{deletion.BlockingJobId}' ({deletion.BlockingStatus?.ToLowerInvariant()}); cancel that job or wait for it to finish, then delete again."),
        };
    }
}
