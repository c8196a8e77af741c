using System.Data;
using System.Text;
using BackpropService.Api.Infrastructure;
using BackpropService.Persistence;
using BackpropService.Persistence.Entities;
using BackpropService.Persistence.History;

namespace BackpropService.Api.Training;

/// <summary>
/// The writes of one attempt's end, inside the caller's transaction: the job's row (status, result, progress, lease
/// cleared; fenced by the attempt token), its last epochs as history, its final weights, and its checkpoint deleted.
/// </summary>
/// <remarks>
/// NOTE: hand-written statements (<see cref="RawSql"/>) rather than EF Core's ExecuteUpdate and SaveChanges: building
/// and compiling those expressions per call was most of a small job's end (docs/performance.md, the worker's cuts).
/// </remarks>
internal static class JobEndStatements
{
    /// <summary>
    /// Stores <paramref name="end"/>; returns the status stored (a cancel that reached the database first turns success
    /// into cancelled), or null when the lease was lost and nothing was written. With last epochs, a lost lease throws
    /// <see cref="LeaseLostException"/> instead, as a flush's store does.
    /// </summary>
    public static async Task<JobStatus?> WriteAsync(BackpropDbContext db, JobEnd end, DateTime now, CancellationToken ct)
    {
        var status = end.Status;
        // NOTE: a cancel that reached the database first wins over success, so the client that got 202 sees cancelled.
        var rows = await UpdateJobAsync(db, end, status, unlessCancelRequested: status == JobStatus.Succeeded, now, ct);
        if (rows == 0 && status == JobStatus.Succeeded)
            rows = await UpdateJobAsync(db, end, status = JobStatus.Cancelled, unlessCancelRequested: false, now, ct);
        if (rows == 0) return end.Last is null ? null : throw new LeaseLostException(end.Claim.JobId);

        var jobId = end.Claim.JobId;
        if (end.Last is { Points.Count: > 0 } last)
        {
            // A resume whose replay did not reproduce the stored costs rewrites the history from its first epoch.
            if (last.ReplacesStored) await HistoryStore.RewindAsync(db, jobId, last.Points[0].Epoch - 1, ct);
            await HistoryStore.AppendAsync(db, jobId, new AttemptStore.HistoryEntries(last.Points), ct);
        }
        if (end.Weights is { } weights)
            await RawSql.ExecuteAsync(db, """
                INSERT INTO "WeightSnapshots" ("JobId", "Epoch", "Parameters", "IsFinal", "SavedAt") VALUES ({0}, {1}, {2}, {3}, {4})
                ON CONFLICT ("JobId") DO UPDATE SET "Epoch" = excluded."Epoch", "Parameters" = excluded."Parameters",
                    "IsFinal" = excluded."IsFinal", "SavedAt" = excluded."SavedAt"
                """, ct, (jobId, DbType.String), (weights.Epoch, DbType.Int32), (weights.Parameters, DbType.Binary), (true, DbType.Boolean), (now, DbType.DateTime));
        await RawSql.ExecuteAsync(db, """DELETE FROM "Checkpoints" WHERE "JobId" = {0}""", ct, (jobId, DbType.String));
        return status;
    }

    private static Task<int> UpdateJobAsync(BackpropDbContext db, JobEnd end, JobStatus status, bool unlessCancelRequested, DateTime now, CancellationToken ct)
    {
        var values = new List<(object?, DbType)>(16);
        string Value(object? value, DbType nullType)
        {
            values.Add((value, nullType));
            return "{" + (values.Count - 1) + "}";
        }

        var early = end.EarlyStop;
        var sql = new StringBuilder($"""
            UPDATE "Jobs" SET "Status" = {Value(status.ToString(), DbType.String)}, "Error" = {Value(end.Error, DbType.String)},
                "StoppedEarly" = {Value(early?.StoppedEarly ?? false, DbType.Boolean)}, "BestEpoch" = {Value(early?.BestEpoch, DbType.Int32)},
                "BestMetric" = {Value(early?.BestMetric, DbType.Double)}, "FinishedAt" = {Value(now, DbType.DateTime)}, "LeaseOwner" = NULL, "LeaseExpiresAt" = NULL
            """);
        // The progress columns only with last epochs, as a flush writes them.
        if (end.Last is { } last)
        {
            sql.Append($""", "StreamedThrough" = {Value(last.StreamedThrough, DbType.Int32)}""");
            if (last.Points.Count > 0)
            {
                var point = last.Points[^1];
                sql.Append($"""
                    , "EpochsCompleted" = {Value(point.Epoch, DbType.Int32)}, "Cost" = {Value(Finite.OrNull(point.Cost), DbType.Double)},
                        "ValidationCost" = {Value(Finite.OrNull(point.ValidationCost), DbType.Double)}, "Accuracy" = {Value(point.Accuracy, DbType.Double)},
                        "ValidationAccuracy" = {Value(point.ValidationAccuracy, DbType.Double)}
                    """);
            }
        }
        sql.Append($"""
             WHERE "Id" = {Value(end.Claim.JobId, DbType.String)} AND "AttemptToken" = {Value(end.Claim.Token, DbType.String)} AND "Status" = {Value(JobStatus.Running.ToString(), DbType.String)}
            """);
        if (unlessCancelRequested) sql.Append(""" AND NOT "CancelRequested" """);
        return RawSql.ExecuteAsync(db, sql.ToString(), ct, values.ToArray());
    }
}
