using System.Data.Common;

namespace BackpropService.Api.Reliability;

/// <summary>
/// Recognises the database failing rather than the request or the code: busy or locked, disk full, I/O errors,
/// lost connections. Those are worth retrying, and on the API they are a 503 with Retry-After, not a 500.
/// </summary>
public static class StorageFaults
{
    // SQLite primary result codes: https://sqlite.org/rescode.html
    private const int SqliteBusy = 5, SqliteLocked = 6, SqliteIoError = 10, SqliteFull = 13, SqliteCantOpen = 14;

    /// <summary>The database exception behind <paramref name="exception"/> (EF Core wraps it), if it is a storage fault.</summary>
    public static DbException? Find(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is not DbException db) continue;
            if (db.IsTransient) return db;
            if (db is Microsoft.Data.Sqlite.SqliteException sqlite &&
                sqlite.SqliteErrorCode is SqliteBusy or SqliteLocked or SqliteIoError or SqliteFull or SqliteCantOpen)
                return db;
            // PostgreSQL classes 53 (insufficient resources: disk full, out of memory) and 08 (connection).
            if (db.SqlState is { Length: 5 } state && (state.StartsWith("53", StringComparison.Ordinal) || state.StartsWith("08", StringComparison.Ordinal)))
                return db;
        }
        return null;
    }

    public static bool IsStorageFault(Exception exception) => Find(exception) is not null;

    /// <summary>What went wrong, in words a user can act on, without internals: "the database or disk is full".</summary>
    public static string Describe(Exception exception) => Find(exception) switch
    {
        Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: SqliteFull } => "the database or disk is full",
        Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked } => "the database is locked by another writer",
        Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: SqliteIoError } => "the database reported an I/O error",
        Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: SqliteCantOpen } => "the database file cannot be opened",
        { SqlState: "53100" } => "the database disk is full",
        { SqlState: { } state } when state.StartsWith("53", StringComparison.Ordinal) => "the database is out of resources",
        { } => "the database is unavailable",
        null => "the database failed",
    };
}
