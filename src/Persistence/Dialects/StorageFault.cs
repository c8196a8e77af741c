using System.Data.Common;

namespace BackpropService.Persistence.Dialects;

/// <summary>
/// The database failing rather than the request or the code: worth retrying, and on the API a 503 with Retry-After.
/// <paramref name="Reason"/> says what went wrong in words a user can act on, without internals.
/// </summary>
public sealed record StorageFault(DbException Exception, string Reason)
{
    /// <summary>The database exceptions in <paramref name="exception"/>'s chain of inner exceptions, outermost first.</summary>
    internal static IEnumerable<DbException> Chain(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is DbException db) yield return db;
    }
}
