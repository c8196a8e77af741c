using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BackpropService.Persistence.Dialects;

/// <summary>
/// Sets up every opened SQLite connection: a busy timeout, so a writer waits for a concurrent writer (the worker's
/// history flush, an API insert) instead of failing with SQLITE_BUSY, and <c>synchronous=FULL</c>, so a commit is
/// on disk before the service acknowledges it.
/// </summary>
internal sealed class SqliteConnectionSetup(int busyTimeoutMilliseconds) : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        // NOTE: FULL, not WAL's usual NORMAL: under NORMAL a commit survives a crash or kill of the process but an
        // OS crash or power loss may drop it, and a 201/202 (or a finished job, or a stored history flush the
        // clients were sent) must not be lost after the client was told. FULL syncs the WAL on every commit; it is
        // set on every connection so that no write can be acknowledged from a NORMAL one (docs/reliability.md).
        command.CommandText = $"PRAGMA busy_timeout = {busyTimeoutMilliseconds}; PRAGMA synchronous = FULL;";
        command.ExecuteNonQuery();
    }
}
