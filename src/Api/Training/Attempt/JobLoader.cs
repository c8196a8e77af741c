using System.Data.Common;
using BackpropService.Api.Datasets;
using BackpropService.Api.Jobs;
using BackpropService.Api.Networks;
using BackpropService.Engine;
using BackpropService.Engine.Graphs;
using BackpropService.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Training;

/// <summary>
/// What an attempt trains: a claimed job's network, data, settings and warm-start weights. The job's row is read with
/// one statement; its network and dataset come from <see cref="TrainingInputs"/>, read from the database only the
/// first time a job uses them.
/// </summary>
/// <remarks>
/// NOTE: a raw command, not EF Core LINQ: building and binding the query and shaping the job, network and dataset
/// entities cost most of a short job's start (docs/performance.md, session 9).
/// </remarks>
public static class JobLoader
{
    private const string ReadJob = """
        SELECT "SettingsJson", "NetworkId", "DatasetId", "SweepId", "InitialWeightsFromJob" FROM "Jobs" WHERE "Id" = @id
        """;

    /// <summary>The job's network, data, settings and warm-start weights, and the sweep it is a trial of (null for a job of its own).</summary>
    public static async Task<((Engine.Network, TrainingData, TrainingSettings, IReadOnlyList<NamedTensor>?), string?)> LoadAsync(
        IDbContextFactory<BackpropDbContext> dbs, TrainingInputs inputs, string jobId)
    {
        await using var db = await dbs.CreateDbContextAsync();
        var job = await ReadJobAsync(db, jobId) ?? throw new InvalidOperationException($"Job '{jobId}' is gone.");
        if (!inputs.TryGetGraph(job.NetworkId, out var graph))
        {
            var network = await db.Networks.AsNoTracking().FirstAsync(n => n.Id == job.NetworkId);
            inputs.AddGraph(job.NetworkId, graph = NetworkStore.Definition(network));
        }
        if (!inputs.TryGetDataset(job.DatasetId, out var data))
        {
            var dataset = await db.Datasets.AsNoTracking().FirstAsync(d => d.Id == job.DatasetId);
            inputs.AddDataset(job.DatasetId, data = DatasetStore.ToTrainingData(dataset));
        }
        // A warm start's weights were copied at admission: the source job may be gone by now.
        var initial = job.InitialWeightsFromJob is null ? null
            : await db.InitialWeights.AsNoTracking().Where(w => w.JobId == jobId).Select(w => w.Parameters).FirstAsync();
        return ((Engine.Network.FromGraph(graph), data, JobMapper.Settings(jobId, job.SettingsJson),
            initial is null ? null : ParameterCodec.Decode(initial)), job.SweepId);
    }

    private static async Task<JobRow?> ReadJobAsync(BackpropDbContext db, string jobId)
    {
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = ReadJob;
            var id = command.CreateParameter();
            (id.ParameterName, id.Value) = ("@id", jobId);
            command.Parameters.Add(id);
            await using var reader = await command.ExecuteReaderAsync();
            return await reader.ReadAsync() ? new JobRow(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                OptionalString(reader, 3), OptionalString(reader, 4)) : null;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static string? OptionalString(DbDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    /// <summary>The columns of a claimed job's row that say what it trains.</summary>
    private sealed record JobRow(string SettingsJson, string NetworkId, string DatasetId, string? SweepId, string? InitialWeightsFromJob);
}
