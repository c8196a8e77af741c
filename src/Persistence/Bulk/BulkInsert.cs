using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace BackpropService.Persistence.Bulk;

/// <summary>
/// Inserts many rows of one entity type as multi-row INSERT statements, inside the context's current transaction,
/// without the change tracker. Columns, quoting, parameter names and value conversions all come from the EF model and
/// the provider's own type mappings, so the rows are stored exactly as <c>SaveChanges</c> would store them, on every provider.
/// </summary>
/// <remarks>
/// NOTE: <c>SaveChanges</c> of 10,000 tracked jobs took far longer than the second a sweep's admission may take
/// (docs/performance.md, sweeps); this writes them in a few dozen statements.
/// </remarks>
public static class BulkInsert
{
    // SQLite binds at most 32,766 variables per statement; stay well below it whatever the column count.
    private const int MaxParametersPerStatement = 16_000;
    private const int MaxRowsPerStatement = 500;

    public static async Task InsertAsync<T>(BackpropDbContext db, IReadOnlyList<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0) return;
        var transaction = db.Database.CurrentTransaction
            ?? throw new InvalidOperationException("A bulk insert runs inside the caller's transaction (all rows or none).");
        var entityType = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        var columns = entityType.GetProperties()
            .Select(p => (Name: p.GetColumnName(table)!, Property: p, Mapping: p.GetRelationalTypeMapping()))
            .ToList();
        var perStatement = Math.Max(1, Math.Min(MaxRowsPerStatement, MaxParametersPerStatement / columns.Count));
        var head = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Name)))}) VALUES ";

        var connection = db.Database.GetDbConnection();
        for (var start = 0; start < rows.Count; start += perStatement)
        {
            var count = Math.Min(perStatement, rows.Count - start);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction.GetDbTransaction();
            var text = new StringBuilder(head, head.Length + count * columns.Count * 8);
            for (var r = 0; r < count; r++)
            {
                text.Append(r == 0 ? "(" : ", (");
                for (var c = 0; c < columns.Count; c++)
                {
                    var name = sql.GenerateParameterName($"p{r}_{c}");
                    if (c > 0) text.Append(", ");
                    text.Append(sql.GenerateParameterNamePlaceholder($"p{r}_{c}"));
                    var (_, property, mapping) = columns[c];
                    command.Parameters.Add(mapping.CreateParameter(command, name, Value(property, rows[start + r]), property.IsNullable));
                }
                text.Append(')');
            }
            command.CommandText = text.ToString();
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private static object? Value(IProperty property, object row) =>
        property.PropertyInfo?.GetValue(row) ?? property.FieldInfo?.GetValue(row);
}
