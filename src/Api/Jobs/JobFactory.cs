using BackpropService.Api.Datasets;
using BackpropService.Api.Infrastructure;
using BackpropService.Api.Limits;
using BackpropService.Api.Networks;
using BackpropService.Engine;
using BackpropService.Persistence;
using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using NetworkEntity = BackpropService.Persistence.Entities.Network;

namespace BackpropService.Api.Jobs;

/// <summary>
/// Everything a job is checked against before it is queued: hyperparameters, the network and dataset (by id or
/// inline), that they fit each other, and the work bound. Inline parts are added to the context, not yet saved.
/// </summary>
public static class JobFactory
{
    public static async Task<TrainingJob?> BuildAsync(CreateJobRequest request, BackpropDbContext db, LimitsOptions limits, ValidationErrors errors, CancellationToken ct)
    {
        var settings = JobSettingsBinder.Bind(request, limits, errors);
        var network = await ResolveNetworkAsync(request, db, limits, errors, ct);
        var dataset = await ResolveDatasetAsync(request, db, limits, errors, ct);
        if (errors.Any || settings is null || network is null || dataset is null) return null;

        var (entity, engineNetwork) = network.Value;
        if (!engineNetwork.CanTrain)
            errors.Add(request.Network is null ? "networkId" : "network", "The network cannot be trained: it needs one input node, one target node and a loss.");
        else
        {
            try { engineNetwork.EnsureTrainableOn(dataset.FeatureCount, dataset.TargetCount); }
            catch (ArgumentException ex) { errors.Add(request.Network is null ? "networkId" : "network", ex.Message); }
        }
        // A split of at most 0.5 (validated) leaves at least half the rows to train.
        var trainingRows = dataset.Rows - (int)Math.Floor(dataset.Rows * settings.ValidationSplit);
        if (settings.BatchSize is { } batch && batch > dataset.Rows)
            errors.Add("batchSize", $"is {batch} but the dataset has only {dataset.Rows} rows.");
        if (!errors.Any) JobBudget.Check(settings, dataset, trainingRows, entity.ParameterCount, engineNetwork, limits, errors);
        if (errors.Any) return null;

        return new TrainingJob
        {
            Id = Guid.CreateVersion7().ToString(),
            NetworkId = entity.Id,
            DatasetId = dataset.Id,
            Status = JobStatus.Queued,
            Name = entity.Name,
            Epochs = settings.Epochs,
            SettingsJson = JobMapper.Serialize(settings),
            CreatedAt = DateTime.UtcNow,
        };
    }

    private static async Task<(NetworkEntity, BackpropService.Engine.Network)?> ResolveNetworkAsync(CreateJobRequest request, BackpropDbContext db, LimitsOptions limits, ValidationErrors errors, CancellationToken ct)
    {
        if (request.Network is not null == request.NetworkId is not null)
        {
            errors.Add("networkId", "give exactly one of networkId or an inline network.");
            return null;
        }
        if (request.NetworkId is { } id)
        {
            var stored = await db.Networks.FindAsync([id], ct);
            if (stored is null) { errors.Add("networkId", $"Network '{id}' does not exist."); return null; }
            return (stored, NetworkStore.Load(stored));
        }
        var (network, kind) = NetworkFactory.Build(request.Network!, limits, errors, "network.");
        if (network is null) return null;
        var entity = NetworkStore.ToEntity(network, kind, request.Network!.Name);
        db.Networks.Add(entity);
        return (entity, network);
    }

    private static async Task<Dataset?> ResolveDatasetAsync(CreateJobRequest request, BackpropDbContext db, LimitsOptions limits, ValidationErrors errors, CancellationToken ct)
    {
        if (request.Dataset is not null == request.DatasetId is not null)
        {
            errors.Add("datasetId", "give exactly one of datasetId or an inline dataset.");
            return null;
        }
        if (request.DatasetId is { } id)
        {
            var stored = await db.Datasets.FindAsync([id], ct);
            if (stored is null) errors.Add("datasetId", $"Dataset '{id}' does not exist.");
            return stored;
        }
        var data = JsonDatasetParser.Parse(request.Dataset!, limits, errors, "dataset.");
        if (data is null) return null;
        var entity = DatasetStore.ToEntity(data);
        db.Datasets.Add(entity);
        return entity;
    }
}
