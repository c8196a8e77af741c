using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BackpropService.Persistence;

/// <summary>
/// Sets SQLite's busy timeout (and WAL's synchronous=NORMAL) on every opened connection, so a writer waits for a concurrent writer
/// (the worker's history flush, an API insert) instead of failing with SQLITE_BUSY.
/// </summary>
internal sealed class BusyTimeoutInterceptor(int milliseconds) : DbConnectionInterceptor
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
        // NOTE: synchronous=NORMAL is the WAL setting SQLite recommends: a commit survives a crash or kill of the
        // process (what the service must survive), only an OS crash or power loss may drop the last commits, and it
        // saves an fsync per history flush.
        command.CommandText = $"PRAGMA busy_timeout = {milliseconds}; PRAGMA synchronous = NORMAL;";
        command.ExecuteNonQuery();
    }
}
