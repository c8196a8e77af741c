using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace BackpropService.Persistence.Bulk;

/// <summary>
/// Inserts many rows of one entity type inside the context's current transaction, without the change tracker: one
/// prepared INSERT of <paramref name="rowsPerStatement"/> rows (<see cref="InsertCommand{T}"/>), executed again and
/// again with new values. How many rows a statement should carry is the dialect's call
/// (<see cref="Dialects.IDatabaseDialect.BulkInsertRowsPerStatement"/>).
/// </summary>
/// <remarks>NOTE: figures for a sweep's 10,000 trials are in docs/performance.md (sweeps).</remarks>
public static class BulkInsert
{
    public static async Task InsertAsync<T>(BackpropDbContext db, IReadOnlyList<T> rows, int rowsPerStatement, CancellationToken ct) where T : class
    {
        if (rows.Count == 0) return;
        var transaction = (db.Database.CurrentTransaction
            ?? throw new InvalidOperationException("A bulk insert runs inside the caller's transaction (all rows or none).")).GetDbTransaction();

        InsertCommand<T>? full = null;
        try
        {
            for (var start = 0; start < rows.Count; start += rowsPerStatement)
            {
                var count = Math.Min(rowsPerStatement, rows.Count - start);
                var command = count == rowsPerStatement ? full ??= InsertCommand<T>.Create(db, count) : InsertCommand<T>.Create(db, count);
                for (var r = 0; r < count; r++) command.Bind(r, rows[start + r]);
                await command.ExecuteAsync(transaction, ct);
                if (command != full) await command.DisposeAsync();
            }
        }
        finally
        {
            if (full is not null) await full.DisposeAsync();
        }
    }
}
