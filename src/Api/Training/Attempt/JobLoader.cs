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
        var row = await LoadQuery(db, jobId) ?? throw new InvalidOperationException($"Job '{jobId}' is gone.");
        var (job, network, dataset) = (row.Job, row.Network, row.Dataset);
        // A warm start's weights were copied at admission: the source job may be gone by now.
        var initial = job.InitialWeightsFromJob is null ? null : await InitialWeightsQuery(db, jobId);
        return ((NetworkStore.Load(network), DatasetStore.ToTrainingData(dataset), JobMapper.Settings(job),
            initial is null ? null : ParameterCodec.Decode(initial)), job.SweepId);
    }

    /// <summary>A claimed job with its network and dataset.</summary>
    private sealed record LoadedJob(TrainingJob Job, NetworkEntity Network, Dataset Dataset);

    // One query, not three: each costs more in EF Core than in the database. Compiled once: building the LINQ
    // expression and looking it up in EF's query cache cost more than running it (docs/performance.md, the worker's cuts).
    private static readonly Func<BackpropDbContext, string, Task<LoadedJob?>> LoadQuery = EF.CompileAsyncQuery(
        (BackpropDbContext db, string jobId) => (
                from j in db.Jobs.AsNoTracking()
                where j.Id == jobId
                join n in db.Networks.AsNoTracking() on j.NetworkId equals n.Id
                join d in db.Datasets.AsNoTracking() on j.DatasetId equals d.Id
                select new LoadedJob(j, n, d))
            .FirstOrDefault());

    private static readonly Func<BackpropDbContext, string, Task<byte[]?>> InitialWeightsQuery = EF.CompileAsyncQuery(
        (BackpropDbContext db, string jobId) => db.InitialWeights.AsNoTracking().Where(w => w.JobId == jobId).Select(w => w.Parameters).FirstOrDefault());
}
