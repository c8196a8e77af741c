using Microsoft.EntityFrameworkCore;

namespace BackpropService.Persistence;

/// <summary>The one place that prepares the database at start: migrations, then WAL (SQLite).</summary>
public static class DatabaseInitializer
{
    public static void Initialize(BackpropDbContext db)
    {
        // NOTE: Migrate() throws when the model changed without a migration; that is a build mistake worth failing on.
        // On PostgreSQL several replicas may start together: PostgresMigrator lets them migrate one at a time.
        if (db.Database.IsNpgsql()) PostgresMigrator.Migrate(db);
        else db.Database.Migrate();
        // A new SQLite file starts in rollback-journal mode; WAL lets readers (GET /api/jobs) run beside the
        // worker's writes. The mode is stored in the file, so setting it once per start is enough.
        if (db.Database.IsSqlite())
            db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
    }
}
