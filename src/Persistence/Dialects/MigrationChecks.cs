using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BackpropService.Persistence.Dialects;

/// <summary>What <c>Migrate()</c> checks at start, for both engines' context options.</summary>
public static class MigrationChecks
{
    /// <summary>
    /// Skips the "model changed without a migration" check that <c>Migrate()</c> runs at every start.
    /// </summary>
    /// <remarks>
    /// NOTE: that check builds the design-time model, the last migration's snapshot model and both relational models,
    /// then diffs them, on every start (docs/performance.md, "Start-up cuts"). It can only fail after a
    /// build mistake, so the build's tests make it instead (Persistence.Tests: <c>HasPendingModelChanges()</c> for each
    /// context); the service applies the migrations it ships without comparing them again.
    /// </remarks>
    public static DbContextOptionsBuilder<TContext> SkipModelComparisonAtStart<TContext>(this DbContextOptionsBuilder<TContext> options)
        where TContext : DbContext =>
        options.ConfigureWarnings(warnings => warnings.Ignore(RelationalEventId.PendingModelChangesWarning));
}
