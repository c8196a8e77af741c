using BackpropService.Persistence;
using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Jobs.Admission;

/// <summary>
/// A checked job and the rows it brings (an inline network or dataset, a warm start's weights: added to the request's
/// context while checking), in the order they are inserted, stamped with the caller's owner as the owner-scoped
/// context stamps what it saves.
/// </summary>
public static class AdmissionRows
{
    /// <summary>
    /// The admission of <paramref name="job"/> with the rows the request added to <paramref name="db"/>, if
    /// <paramref name="bringsRows"/> (inline parts or a warm start); otherwise the context is not touched (its change
    /// tracker would start EF's services for the request: a cost on every POST).
    /// </summary>
    public static JobAdmission Of(BackpropDbContext db, TrainingJob job, bool bringsRows)
    {
        var owner = db.OwnerFilter ?? "";
        var rows = new List<object>(4);
        if (bringsRows)
        {
            rows.AddRange(Added<Network>(db, n => n.Owner = owner));
            rows.AddRange(Added<Dataset>(db, d => d.Owner = owner));
        }
        job.Owner = owner;
        rows.Add(job);
        if (bringsRows) rows.AddRange(Added<InitialWeights>(db, _ => { }));
        return new JobAdmission(job, rows, owner, ownerScoped: db.OwnerFilter is not null);
    }

    private static IEnumerable<T> Added<T>(BackpropDbContext db, Action<T> stamp) where T : class =>
        db.ChangeTracker.Entries<T>().Where(e => e.State == EntityState.Added).Select(e =>
        {
            stamp(e.Entity);
            return e.Entity;
        }).ToList();
}
