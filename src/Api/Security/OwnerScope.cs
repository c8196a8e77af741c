using BackpropService.Persistence;
using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Security;

/// <summary>
/// The request-scoped context, owner-aware: with API keys on, its owner filter hides other owners' networks,
/// datasets and jobs (and their history, checkpoints and weights) from every query, update and delete, so they
/// are 404 everywhere; and rows it adds are stamped with the caller's owner. The worker's contexts (from the
/// factory) are not filtered: it trains everyone's jobs.
/// </summary>
public static class OwnerScope
{
    public static IServiceCollection AddOwnerScopedDbContext(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.RemoveAll<BackpropDbContext>();
        services.AddScoped(provider =>
        {
            var db = provider.GetRequiredService<IDbContextFactory<BackpropDbContext>>().CreateDbContext();
            if (!provider.GetRequiredService<IOptionsMonitor<ApiKeyOptions>>().CurrentValue.Enabled) return db;
            // Fail closed: no known owner sees nothing. The hub filter sets the owner for hub invocations.
            db.OwnerFilter = CurrentOwner.Of(provider.GetRequiredService<IHttpContextAccessor>().HttpContext?.User) ?? CurrentOwner.Nobody;
            db.SavingChanges += (_, _) => Stamp(db);
            return db;
        });
        return services;
    }

    private static void Stamp(BackpropDbContext db)
    {
        var owner = db.OwnerFilter ?? "";
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added))
        {
            switch (entry.Entity)
            {
                case Network n: n.Owner = owner; break;
                case Dataset d: d.Owner = owner; break;
                case TrainingJob j: j.Owner = owner; break;
                case Sweep s: s.Owner = owner; break;
            }
        }
    }
}
