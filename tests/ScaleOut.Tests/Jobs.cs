using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace BackpropService.ScaleOut.Tests;

/// <summary>The few calls of the HTTP contract the scale-out tests make, and a look at the lease columns.</summary>
internal static class Jobs
{
    public static async Task<string> CreateAsync(Replica replica, object request)
    {
        using var response = await replica.Http.PostAsJsonAsync("/api/jobs", request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST /api/jobs on {replica.Name}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    public static async Task<JsonElement> GetAsync(Replica replica, string id) =>
        JsonDocument.Parse(await replica.Http.GetStringAsync($"/api/jobs/{id}")).RootElement;

    public static async Task<bool> HasWeightsAsync(Replica replica, string id)
    {
        using var response = await replica.Http.GetAsync($"/api/jobs/{id}/weights");
        return response.StatusCode == HttpStatusCode.OK;
    }

    /// <summary>The whole history, page by page, as /history returns it.</summary>
    public static async Task<List<(int Epoch, double? Cost)>> HistoryAsync(Replica replica, string id)
    {
        var points = new List<(int, double?)>();
        var after = 0;
        while (true)
        {
            var page = JsonDocument.Parse(await replica.Http.GetStringAsync($"/api/jobs/{id}/history?after={after}&limit=5000")).RootElement;
            var batch = page.GetProperty("points").EnumerateArray()
                .Select(p => (p.GetProperty("epoch").GetInt32(), p.GetProperty("cost").ValueKind == JsonValueKind.Number ? p.GetProperty("cost").GetDouble() : (double?)null))
                .ToList();
            if (batch.Count == 0) return points;
            points.AddRange(batch);
            after = batch[^1].Item1;
        }
    }

    /// <summary>Polls the job on <paramref name="replica"/> until <paramref name="done"/> holds; fails after the timeout.</summary>
    public static async Task<JsonElement> WaitAsync(Replica replica, string id, Func<JsonElement, bool> done, TimeSpan timeout, Func<string> context)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement job;
        do
        {
            job = await GetAsync(replica, id);
            if (done(job)) return job;
            await Task.Delay(100);
        } while (DateTime.UtcNow < deadline);
        Assert.Fail($"Job {id} did not get there within {timeout}; last seen on {replica.Name}: {job}\n{context()}");
        return job;
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
