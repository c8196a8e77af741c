using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BackpropService.Persistence.Dialects;

/// <summary>
/// Sets up every physical SQLite connection once: a busy timeout, so a writer waits for a concurrent writer (the
/// worker's history flush, an API insert) instead of failing with SQLITE_BUSY, and <c>synchronous=FULL</c>, so a
/// commit is on disk before the service acknowledges it.
/// </summary>
/// <remarks>
/// Both settings belong to the native connection (the <c>sqlite3</c> handle), which Microsoft.Data.Sqlite's pool keeps
/// open and hands to the next <see cref="SqliteConnection"/> opened with the same connection string. So they are set
/// when a handle is first seen and skipped on every later open of it (a read's open was two statements more before).
/// A handle the pool discards is never seen again; a new one is set up on its first open.
/// </remarks>
internal sealed class SqliteConnectionSetup(int busyTimeoutMilliseconds) : DbConnectionInterceptor
{
    private readonly ConditionalWeakTable<object, object> _setUp = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        // NOTE: a connection that is not Microsoft.Data.Sqlite's (none today) is set up on every open.
        var handle = (connection as SqliteConnection)?.Handle;
        if (handle is not null && _setUp.TryGetValue(handle, out _)) return;
        using var command = connection.CreateCommand();
        // NOTE: FULL, not WAL's usual NORMAL: under NORMAL a commit survives a crash or kill of the process but an
        // OS crash or power loss may drop it, and a 201/202 (or a finished job, or a stored history flush the
        // clients were sent) must not be lost after the client was told. FULL syncs the WAL on every commit; it is
        // set on every connection so that no write can be acknowledged from a NORMAL one (docs/reliability.md).
        command.CommandText = $"PRAGMA busy_timeout = {busyTimeoutMilliseconds}; PRAGMA synchronous = FULL;";
        command.ExecuteNonQuery();
        if (handle is not null) _setUp.AddOrUpdate(handle, handle);
    }
}
