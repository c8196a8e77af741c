using System.Data.Common;

namespace BackpropService.Api.Reliability;

/// <summary>Recognises a unique-index violation on SQLite (extended code 2067, or 1555 for a primary key) and PostgreSQL (23505).</summary>
public static class UniqueViolation
{
    public static bool Is(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is Microsoft.Data.Sqlite.SqliteException { SqliteExtendedErrorCode: 2067 or 1555 }) return true;
            if (e is DbException { SqlState: "23505" }) return true;
        }
        return false;
    }
}
