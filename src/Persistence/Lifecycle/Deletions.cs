using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Persistence.Lifecycle;

/// <summary>
/// Deleting networks, datasets and jobs without racing the worker. A job leaves Queued/Running only for a terminal
/// state and never comes back, so "finished" is stable: each delete is one conditional statement that removes a row
/// only while no queued or running job stands in the way, inside one transaction with the rows that go with it.
/// A claim (Queued → Running) between a check and a delete cannot slip through, because there is no separate check.
/// </summary>
/// <remarks>
/// Runs on the caller's context, so an owner-scoped context deletes only its owner's rows (the others are 404).
/// NOTE: no IgnoreQueryFilters inside these statements: EF applies it to the whole query, owner filter included.
/// The owner-filtered job check is complete because a job can only use its own owner's network and dataset.
/// Written in LINQ (ExecuteDelete), which both SQLite and PostgreSQL translate to one DELETE ... WHERE; nothing here
/// depends on the engine.
/// </remarks>
public static class Deletions
{
    /// <summary>Deletes a finished job with its history, checkpoint and weights; InUse while it is queued or running.</summary>
    public static async Task<Deletion> DeleteJobAsync(BackpropDbContext db, string id, CancellationToken ct)
    {
        await using var tx = await db.BeginWriteAsync(ct);
        if (await DeleteFinishedAsync(db, [id], ct) == 1)
        {
            await tx.CommitAsync(ct);
            return Deletion.Deleted;
        }
        await tx.RollbackAsync(ct);
        var job = await db.Jobs.AsNoTracking().Where(j => j.Id == id).Select(j => new { j.Id, j.Status }).FirstOrDefaultAsync(ct);
        return job is null ? Deletion.NotFound : new Deletion(DeletionOutcome.InUse, job.Id, job.Status.ToString());
    }

    /// <summary>
    /// Deletes a network and the finished jobs trained on it (with their history, checkpoints and weights), unless a
    /// queued or running job uses it.
    /// </summary>
    public static Task<Deletion> DeleteNetworkAsync(BackpropDbContext db, string id, CancellationToken ct) =>
        DeleteUsedAsync(db, db.Networks.Where(n => n.Id == id && !db.Jobs.Any(j => j.NetworkId == id && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running))),
            db.Networks.Where(n => n.Id == id), j => j.NetworkId == id, ct);

    /// <summary>Deletes a dataset and the finished jobs trained on it, unless a queued or running job uses it.</summary>
    public static Task<Deletion> DeleteDatasetAsync(BackpropDbContext db, string id, CancellationToken ct) =>
        DeleteUsedAsync(db, db.Datasets.Where(d => d.Id == id && !db.Jobs.Any(j => j.DatasetId == id && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running))),
            db.Datasets.Where(d => d.Id == id), j => j.DatasetId == id, ct);

    /// <summary>
    /// Deletes finished jobs among <paramref name="ids"/> and their history, checkpoints and weights; returns how many
    /// jobs went. Call inside a transaction.
    /// </summary>
    public static async Task<int> DeleteFinishedAsync(BackpropDbContext db, IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        // Finished is final, so the ids read here stay deletable; the delete repeats the condition all the same. Ids of
        // queued or running jobs are never read, so their history, checkpoints and weights are never touched. (On
        // SQLite the transaction is BEGIN IMMEDIATE, Microsoft.Data.Sqlite's default: nothing interleaves at all.)
        var finished = await db.Jobs.Where(j => ids.Contains(j.Id) && j.Status != JobStatus.Queued && j.Status != JobStatus.Running)
            .Select(j => j.Id).ToListAsync(ct);
        if (finished.Count == 0) return 0;
        var deleted = await db.Jobs.Where(j => finished.Contains(j.Id) && j.Status != JobStatus.Queued && j.Status != JobStatus.Running).ExecuteDeleteAsync(ct);
        // Unfiltered: the owner filter on these rows looks for their job, which is already gone; the ids are vetted above.
        await db.LossChunks.IgnoreQueryFilters().Where(c => finished.Contains(c.JobId)).ExecuteDeleteAsync(ct);
        await db.Checkpoints.IgnoreQueryFilters().Where(c => finished.Contains(c.JobId)).ExecuteDeleteAsync(ct);
        await db.WeightSnapshots.IgnoreQueryFilters().Where(w => finished.Contains(w.JobId)).ExecuteDeleteAsync(ct);
        return deleted;
    }

    private static async Task<Deletion> DeleteUsedAsync<T>(BackpropDbContext db, IQueryable<T> deletableRow, IQueryable<T> anyRow,
        System.Linq.Expressions.Expression<Func<TrainingJob, bool>> uses, CancellationToken ct) where T : class
    {
        await using var tx = await db.BeginWriteAsync(ct);
        // A job can only use its own owner's network and dataset, so the owner-scoped view sees every user of the row.
        var finishedUsers = await db.Jobs.Where(uses)
            .Where(j => j.Status != JobStatus.Queued && j.Status != JobStatus.Running).Select(j => j.Id).ToListAsync(ct);
        if (finishedUsers.Count > 0) await DeleteFinishedAsync(db, finishedUsers, ct);
        if (await deletableRow.ExecuteDeleteAsync(ct) == 1)
        {
            await tx.CommitAsync(ct);
            return Deletion.Deleted;
        }
        await tx.RollbackAsync(ct);
        if (!await anyRow.AnyAsync(ct)) return Deletion.NotFound;
        var blocking = await db.Jobs.AsNoTracking().Where(uses)
            .Where(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running)
            .OrderBy(j => j.CreatedAt).Select(j => new { j.Id, j.Status }).FirstOrDefaultAsync(ct);
        return new Deletion(DeletionOutcome.InUse, blocking?.Id, blocking?.Status.ToString());
    }
}
