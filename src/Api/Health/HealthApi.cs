using BackpropService.Api.Training;
using BackpropService.Api.Warmup;
using BackpropService.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Health;

public static class HealthApi
{
    public sealed record HealthResponse(string Status, string Database, string Worker, double? SecondsSinceWorkerHeartbeat);

    public static IEndpointConventionBuilder MapHealthApi(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/health", GetHealthAsync).WithTags("Operations").WithName("Health")
            .WithSummary("200 when the database answers and the training worker is running; else 503 with the reason");

    public static async Task<Results<Ok<HealthResponse>, ProblemHttpResult>> GetHealthAsync(
        BackpropDbContext db, WorkerHeartbeat heartbeat, IOptions<TrainingOptions> options, FirstUseWarmup warmup, CancellationToken ct)
    {
        string database;
        // NOTE: the alias is quoted: EF reads the column "Value", and PostgreSQL folds an unquoted alias to lower case.
        try
        {
            database = await db.Database.SqlQueryRaw<int>("SELECT 1 AS \"Value\"").SingleAsync(ct) == 1 ? "ok" : "unexpected answer";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            database = $"unreachable: {ex.GetType().Name}";
        }
        var since = heartbeat.SinceLastBeat;
        // The worker loop beats at least once per poll interval; three missed beats means it is stuck or dead.
        var worker = since is { } s && s < options.Value.PollInterval * 3 + TimeSpan.FromSeconds(5) ? "ok" : "not running";
        var response = new HealthResponse(database == "ok" && worker == "ok" ? "healthy" : "unhealthy", database, worker, since?.TotalSeconds);
        if (response.Status != "healthy")
            return TypedResults.Problem(statusCode: 503, title: "Service Unavailable", detail: $"database: {database}; worker: {worker}.");
        warmup.ReportedHealthy();
        return TypedResults.Ok(response);
    }
}
