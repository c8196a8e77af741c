using BackpropService.Persistence;
using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Jobs;

/// <summary>
/// The job reads every client polls (<c>GET /api/jobs/{id}</c>), compiled once per model (<see cref="PerModel{TQuery}"/>):
/// the same SQL and the same owner filter as the LINQ they replace, without building and looking up the query per call.
/// </summary>
public static class JobReads
{
    private static readonly PerModel<Func<BackpropDbContext, string, CancellationToken, Task<TrainingJob?>>> ById =
        new(() => EF.CompileAsyncQuery((BackpropDbContext db, string id, CancellationToken ct) =>
            db.Jobs.AsNoTracking().FirstOrDefault(j => j.Id == id)));

    /// <summary>The job (untracked), or null when it does not exist or the owner filter hides it.</summary>
    public static Task<TrainingJob?> ByIdAsync(BackpropDbContext db, string id, CancellationToken ct) => ById.For(db)(db, id, ct);
}
