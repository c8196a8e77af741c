using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace BackpropService.Persistence.Bulk;

/// <summary>
/// Inserts many rows of one entity type inside the context's current transaction, without the change tracker: one
/// prepared INSERT of <paramref name="rowsPerStatement"/> rows, executed again and again with new values. Columns,
/// quoting, parameters and value conversions all come from the EF model and the provider's own type mappings, so the
/// rows are stored exactly as <c>SaveChanges</c> would store them. How many rows a statement should carry is the
/// dialect's call (<see cref="Dialects.IDatabaseDialect.BulkInsertRowsPerStatement"/>).
/// </summary>
/// <remarks>NOTE: figures for a sweep's 10,000 trials are in docs/performance.md (sweeps).</remarks>
public static class BulkInsert
{
    public static async Task InsertAsync<T>(BackpropDbContext db, IReadOnlyList<T> rows, int rowsPerStatement, CancellationToken ct) where T : class
    {
        if (rows.Count == 0) return;
        var transaction = db.Database.CurrentTransaction
            ?? throw new InvalidOperationException("A bulk insert runs inside the caller's transaction (all rows or none).");
        var entityType = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var columns = entityType.GetProperties()
            .Select(p => new Column(p.GetColumnName(table)!, p, p.GetRelationalTypeMapping()))
            .ToList();

        DbCommand? full = null;
        try
        {
            for (var start = 0; start < rows.Count; start += rowsPerStatement)
            {
                var count = Math.Min(rowsPerStatement, rows.Count - start);
                var command = count == rowsPerStatement
                    ? full ??= Prepare(db, transaction.GetDbTransaction(), table, columns, count)
                    : Prepare(db, transaction.GetDbTransaction(), table, columns, count);
                for (var r = 0; r < count; r++)
                    for (var c = 0; c < columns.Count; c++)
                        command.Parameters[r * columns.Count + c].Value = columns[c].Value(rows[start + r]);
                await command.ExecuteNonQueryAsync(ct);
                if (command != full) await command.DisposeAsync();
            }
        }
        finally
        {
            if (full is not null) await full.DisposeAsync();
        }
    }

    private static DbCommand Prepare(BackpropDbContext db, DbTransaction transaction, StoreObjectIdentifier table, List<Column> columns, int rows)
    {
        var sql = db.GetService<ISqlGenerationHelper>();
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction;
        var text = new StringBuilder($"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Name)))}) VALUES ");
        for (var r = 0; r < rows; r++)
        {
            text.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns.Count; c++)
            {
                if (c > 0) text.Append(", ");
                text.Append(sql.GenerateParameterNamePlaceholder($"p{r}_{c}"));
                command.Parameters.Add(columns[c].Mapping.CreateParameter(command, sql.GenerateParameterName($"p{r}_{c}"), null, columns[c].Property.IsNullable));
            }
            text.Append(')');
        }
        command.CommandText = text.ToString();
        return command;
    }

    private sealed record Column(string Name, IProperty Property, RelationalTypeMapping Mapping)
    {
        // EF's compiled accessor: no reflection per value.
        private readonly IClrPropertyGetter _getter = Property.GetGetter();

        /// <summary>The row's value of this column as the provider stores it (through the property's value converter).</summary>
        public object Value(object row)
        {
            var value = _getter.GetClrValueUsingContainingEntity(row);
            if (value is not null && Mapping.Converter is { } converter) value = converter.ConvertToProvider(value);
            return value ?? DBNull.Value;
        }
    }
}
