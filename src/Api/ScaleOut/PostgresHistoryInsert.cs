using BackpropService.Engine;
using BackpropService.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace BackpropService.Api.ScaleOut;

/// <summary>
/// Appends a flush's epochs to the history on PostgreSQL in one round trip (three arrays unnested into rows),
/// inside the flush's transaction: a row per statement would cost a network round trip per epoch.
/// </summary>
public static class PostgresHistoryInsert
{
    private const string Sql = """
        INSERT INTO "LossPoints" ("JobId", "Epoch", "Cost", "ValidationCost")
        SELECT @job, p.epoch, p.cost, p.validation FROM unnest(@epochs, @costs, @validations) AS p(epoch, cost, validation)
        """;

    public static async Task InsertAsync(BackpropDbContext db, string jobId, IReadOnlyList<EpochReport> points, CancellationToken ct)
    {
        var epochs = new int[points.Count];
        var costs = new double?[points.Count];
        var validations = new double?[points.Count];
        for (var i = 0; i < points.Count; i++)
        {
            epochs[i] = points[i].Epoch;
            costs[i] = double.IsFinite(points[i].Cost) ? points[i].Cost : null;
            validations[i] = points[i].ValidationCost is { } v && double.IsFinite(v) ? v : null;
        }
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var command = new NpgsqlCommand(Sql, connection, (NpgsqlTransaction)db.Database.CurrentTransaction!.GetDbTransaction());
        command.Parameters.AddWithValue("job", jobId);
        command.Parameters.Add(new NpgsqlParameter("epochs", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = epochs });
        command.Parameters.Add(new NpgsqlParameter("costs", NpgsqlDbType.Array | NpgsqlDbType.Double) { Value = costs });
        command.Parameters.Add(new NpgsqlParameter("validations", NpgsqlDbType.Array | NpgsqlDbType.Double) { Value = validations });
        await command.ExecuteNonQueryAsync(ct);
    }
}
