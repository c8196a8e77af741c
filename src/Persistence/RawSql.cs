using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Persistence;

/// <summary>
/// A hand-written statement through EF Core (<c>ExecuteSqlRaw</c>): on the context's connection and transaction, with
/// its interceptors and command logging, but without building, caching and compiling a LINQ expression per call.
/// The statements are written in SQL both engines read (quoted identifiers, <c>{n}</c> placeholders for the values).
/// </summary>
/// <remarks>
/// NOTE: each value is bound with the type its CLR value implies (a UTC DateTime is PostgreSQL's timestamptz and
/// SQLite's usual text), and a null with the type given for it: PostgreSQL does not accept an untyped NULL parameter
/// for every column.
/// </remarks>
public static class RawSql
{
    public static Task<int> ExecuteAsync(BackpropDbContext db, string sql, CancellationToken ct, params (object? Value, DbType NullType)[] values)
    {
        var provider = DbProviderFactories.GetFactory(db.Database.GetDbConnection())!;
        var parameters = new DbParameter[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var parameter = provider.CreateParameter()!;
            parameter.ParameterName = "@v" + i;
            if (values[i].Value is { } value) parameter.Value = value;
            else (parameter.Value, parameter.DbType) = (DBNull.Value, values[i].NullType);
            parameters[i] = parameter;
        }
        return db.Database.ExecuteSqlRawAsync(sql, parameters, ct);
    }
}
