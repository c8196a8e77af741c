using BackpropService.Api.Datasets;
using BackpropService.Api.Jobs;
using BackpropService.Api.Networks;
using BackpropService.Engine;
using BackpropService.Persistence;
using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using NetworkEntity = BackpropService.Persistence.Entities.Network;

namespace BackpropService.Api.Training;

/// <summary>What an attempt trains: a claimed job's network, data, settings and warm-start weights, read in one query.</summary>
public static class JobLoader
{
    /// <summary>The job's network, data, settings and warm-start weights, and the sweep it is a trial of (null for a job of its own).</summary>
    public static async Task<((Engine.Network, TrainingData, TrainingSettings, IReadOnlyList<NamedTensor>?), string?)> LoadAsync(IDbContextFactory<BackpropDbContext> dbs, string jobId)
    {
        await using var db = await dbs.CreateDbContextAsync();
        // One query, not three: each costs more in EF Core than in the database.
        // NOTE: not EF.CompileAsyncQuery: a compiled query serves one model only, and a process may host several (tests).
        var row = await (
                from j in db.Jobs.AsNoTracking()
                where j.Id == jobId
                join n in db.Networks.AsNoTracking() on j.NetworkId equals n.Id
                join d in db.Datasets.AsNoTracking() on j.DatasetId equals d.Id
                select new LoadedJob(j, n, d))
            .FirstOrDefaultAsync() ?? throw new InvalidOperationException($"Job '{jobId}' is gone.");
        var (job, network, dataset) = (row.Job, row.Network, row.Dataset);
        // A warm start's weights were copied at admission: the source job may be gone by now.
        var initial = job.InitialWeightsFromJob is null ? null
            : await db.InitialWeights.AsNoTracking().Where(w => w.JobId == jobId).Select(w => w.Parameters).FirstAsync();
        return ((NetworkStore.Load(network), DatasetStore.ToTrainingData(dataset), JobMapper.Settings(job),
            initial is null ? null : ParameterCodec.Decode(initial)), job.SweepId);
    }

    /// <summary>A claimed job with its network and dataset.</summary>
    private sealed record LoadedJob(TrainingJob Job, NetworkEntity Network, Dataset Dataset);
}
