using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace BackpropService.Persistence.Dialects;

/// <summary>
/// Applies the PostgreSQL migrations when several replicas start at once: one at a time, under a session-level
/// advisory lock, so each replica sees what the one before it applied.
/// </summary>
/// <remarks>
/// NOTE: without it, two replicas starting together on an empty database both tried to apply the same migration
/// (observed: "column ... already exists"); EF Core's own migration lock did not serialise them here.
/// </remarks>
internal static class PostgresMigrator
{
    // Any fixed 64-bit number that no other advisory lock of ours uses (the job locks hash job ids).
    private const long LockKey = 0x6261636B70726F70; // "backprop"

    public static void Migrate(BackpropDbContext db)
    {
        // Up to date (every start but the first): nothing to apply, so no lock to wait for either.
        if (MigrationHistory.IsUpToDate(db)) return;
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (!creator.Exists())
        {
            // Another replica may create it between our check and our create; either way it exists afterwards.
            try { creator.Create(); }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase) { }
        }
        db.Database.OpenConnection();
        try
        {
            db.Database.ExecuteSql($"SELECT pg_advisory_lock({LockKey})");
            try { db.Database.Migrate(); }
            finally { db.Database.ExecuteSql($"SELECT pg_advisory_unlock({LockKey})"); }
        }
        finally
        {
            db.Database.CloseConnection();
        }
    }
}
