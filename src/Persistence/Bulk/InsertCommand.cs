using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace BackpropService.Persistence.Bulk;

/// <summary>
/// A prepared INSERT of <c>rows</c> rows of one entity type on the context's connection, without the change tracker.
/// Columns, quoting, parameters and value conversions all come from the EF model and the provider's own type
/// mappings, so the rows are stored exactly as <c>SaveChanges</c> would store them. Bind, execute, bind again: the
/// provider keeps the statement prepared between executions.
/// </summary>
public sealed class InsertCommand<T> : IAsyncDisposable where T : class
{
    private readonly DbCommand _command;
    private readonly List<Column> _columns;

    private InsertCommand(DbCommand command, List<Column> columns) => (_command, _columns) = (command, columns);

    /// <param name="db">The context whose model and connection the command uses.</param>
    /// <param name="rows">Rows per execution.</param>
    /// <param name="before">Statements sent before the INSERT in the same command (one round trip), or null.</param>
    /// <param name="after">Statements sent after it, or null; skipped when the INSERT fails.</param>
    public static InsertCommand<T> Create(BackpropDbContext db, int rows, string? before = null, string? after = null)
    {
        var entityType = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var columns = entityType.GetProperties()
            .Select(p => new Column(p.GetColumnName(table)!, p, p.GetRelationalTypeMapping()))
            .ToList();
        var sql = db.GetService<ISqlGenerationHelper>();
        var command = db.Database.GetDbConnection().CreateCommand();
        var text = new StringBuilder(before is null ? "" : before + "; ");
        text.Append($"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Name)))}) VALUES ");
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
        if (after is not null) text.Append("; ").Append(after);
        command.CommandText = text.ToString();
        return new InsertCommand<T>(command, columns);
    }

    /// <summary>Sets row <paramref name="index"/>'s parameters to <paramref name="row"/>'s values.</summary>
    public void Bind(int index, T row)
    {
        for (var c = 0; c < _columns.Count; c++)
            _command.Parameters[index * _columns.Count + c].Value = _columns[c].Value(row);
    }

    public Task<int> ExecuteAsync(DbTransaction transaction, CancellationToken ct)
    {
        _command.Transaction = transaction;
        return _command.ExecuteNonQueryAsync(ct);
    }

    public ValueTask DisposeAsync() => _command.DisposeAsync();

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
