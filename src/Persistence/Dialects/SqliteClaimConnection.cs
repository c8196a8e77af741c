using Microsoft.Data.Sqlite;

namespace BackpropService.Persistence.Dialects;

/// <summary>
/// The worker's claims on SQLite, on a connection of their own kept open, with the claim's statements prepared once
/// (<see cref="ClaimCommands"/>). Used only in the write turn (<see cref="WriteTurns"/>), so by one claim at a time.
/// </summary>
/// <remarks>
/// NOTE: on a pooled connection every claim prepared its seek anew (0.12 ms of the seek's 0.13) and switched the
/// connection's <c>synchronous</c> setting to NORMAL and back; the claim is on a slot's way from one job to the next
/// and holds the write turn (docs/performance.md, "the claim's own connection"). This connection stays NORMAL: a claim
/// acknowledges nothing to a client (why that is safe: docs/reliability.md, "Durable acknowledgements").
/// A claim that fails closes it: the next one opens a new one, as a pooled connection would be.
/// </remarks>
internal sealed class SqliteClaimConnection(string connectionString, int busyTimeoutMilliseconds, string seek) : IDisposable
{
    private SqliteConnection? _connection;
    private ClaimCommands? _commands;

    public async Task<IReadOnlyList<JobClaim>> ClaimAsync(ClaimRequest claim, int count, CancellationToken ct)
    {
        try
        {
            var (connection, commands) = await OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct); // BEGIN IMMEDIATE: the write lock from the start
            var claims = await commands.ClaimAsync(transaction, claim, count, ct);
            await transaction.CommitAsync(ct);
            return claims;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    private async Task<(SqliteConnection, ClaimCommands)> OpenAsync(CancellationToken ct)
    {
        if (_connection is not null && _commands is not null) return (_connection, _commands);
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(ct);
            await using (var setup = connection.CreateCommand())
            {
                setup.CommandText = $"PRAGMA busy_timeout = {busyTimeoutMilliseconds}; PRAGMA synchronous = NORMAL;";
                await setup.ExecuteNonQueryAsync(ct);
            }
            (_connection, _commands) = (connection, new ClaimCommands(connection, seek));
            return (_connection, _commands);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Closes the connection; the next claim opens a new one.</summary>
    public void Dispose()
    {
        _commands?.Dispose();
        _connection?.Dispose();
        (_commands, _connection) = (null, null);
    }
}
