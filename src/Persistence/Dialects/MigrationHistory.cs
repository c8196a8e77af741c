using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;

namespace BackpropService.Persistence.Dialects;

/// <summary>Whether the database already has every migration this build ships, read straight from EF's history table.</summary>
/// <remarks>
/// NOTE: the start-up fast path for a database that is up to date (every start but the first). <c>Migrate()</c> with
/// nothing to apply still builds a model of its own for the history table and takes and releases the migration lock:
/// ~1,100 methods jitted and a few hundred milliseconds of a restart (docs/performance.md, "Start-up cuts"). This is one plain SELECT of the
/// applied ids; when any shipped migration is missing, or the table cannot be read (a new database), the caller migrates
/// as before.
/// </remarks>
public static class MigrationHistory
{
    public static bool IsUpToDate(BackpropDbContext db)
    {
        var shipped = db.Database.GetMigrations().ToList();
        var applied = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            db.Database.OpenConnection();
            using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = $"SELECT \"MigrationId\" FROM \"{HistoryRepository.DefaultTableName}\"";
            using var reader = command.ExecuteReader();
            while (reader.Read()) applied.Add(reader.GetString(0));
        }
        catch (DbException)
        {
            // No history table (a new or empty database), or no database yet: Migrate() creates both or says what is
            // wrong. NOTE: a catch rather than EF's own existence checks, which differ by provider (Npgsql's history
            // check throws on a missing database and answered "exists" for an empty one).
            return false;
        }
        finally
        {
            db.Database.CloseConnection();
        }
        return shipped.All(applied.Contains);
    }
}
