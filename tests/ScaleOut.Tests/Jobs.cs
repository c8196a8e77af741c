using System.Net;
using Npgsql;

namespace BackpropService.ScaleOut.Tests;

/// <summary>What the scale-out tests look at beyond TestKit's job client: weights' existence and the lease columns.</summary>
internal static class Jobs
{
    public static async Task<bool> HasWeightsAsync(Replica replica, string id)
    {
        using var response = await replica.Http.GetAsync($"/api/jobs/{id}/weights");
        return response.StatusCode == HttpStatusCode.OK;
    }

    public sealed record Lease(string Status, string? Owner, int Attempts);

    /// <summary>The job's lease as stored: which replica holds it (the API does not expose that).</summary>
    public static async Task<Lease> LeaseAsync(string database, string id)
    {
        await using var connection = new NpgsqlConnection(ScaleOutServices.DatabaseConnection(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT "Status", "LeaseOwner", "Attempts" FROM "Jobs" WHERE "Id" = @id""", connection);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"job {id} is not in the database");
        return new Lease(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt32(2));
    }
}
