using BackpropService.Api.Datasets;
using BackpropService.Api.Infrastructure;
using BackpropService.Api.Lifecycle;
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
/// <remarks>A sweep's trials go through the same checks: <see cref="ResolveAsync"/> once per network and dataset, <see cref="Build"/> per trial.</remarks>
public static class JobFactory
{
    public static async Task<TrainingJob?> BuildAsync(CreateJobRequest request, BackpropDbContext db, JobPartsCache? cache, LimitsOptions limits, ValidationErrors errors, CancellationToken ct)
    {
        var settings = JobSettingsBinder.Bind(request, limits, errors);
        var parts = await ResolveAsync(request, db, cache, limits, errors, ct);
        if (errors.Any || settings is null || parts is null) return null;
        return Build(settings, parts, limits, errors);
    }

    /// <summary>
    /// The request's network and dataset (stored, or inline and added to the context), checked to fit each other;
    /// null with the errors recorded. A sweep resolves each pair its trials use once. Stored parts come from
    /// <paramref name="cache"/> when it has them, and go into it when read.
    /// </summary>
    public static async Task<JobParts?> ResolveAsync(CreateJobRequest request, BackpropDbContext db, JobPartsCache? cache, LimitsOptions limits, ValidationErrors errors, CancellationToken ct)
    {
        var network = await ResolveNetworkAsync(request, db, cache, limits, errors, ct);
        var dataset = await ResolveDatasetAsync(request, db, cache, limits, errors, ct);
        if (network is null || dataset is null) return null;

        var (entity, engineNetwork) = network.Value;
        var field = request.Network is null ? "networkId" : "network";
        if (!engineNetwork.CanTrain)
        {
            errors.Add(field, "The network cannot be trained: it needs one input node, one target node and a loss.");
            return null;
        }
        try { engineNetwork.EnsureTrainableOn(dataset.FeatureCount, dataset.TargetCount); }
        catch (ArgumentException ex)
        {
            errors.Add(field, ex.Message);
            return null;
        }
        return new JobParts(entity, engineNetwork, dataset);
    }

    /// <summary>The job for bound <paramref name="settings"/> on resolved <paramref name="parts"/>, or null with the errors recorded.</summary>
    public static TrainingJob? Build(TrainingSettings settings, JobParts parts, LimitsOptions limits, ValidationErrors errors, TrialOf? trial = null)
    {
        var dataset = parts.Dataset;
        // A split of at most 0.5 (validated) leaves at least half the rows to train.
        var trainingRows = dataset.Rows - (int)Math.Floor(dataset.Rows * settings.ValidationSplit);
        if (settings.BatchSize is { } batch && batch > dataset.Rows)
            errors.Add("batchSize", $"is {batch} but the dataset has only {dataset.Rows} rows.");
        else JobBudget.Check(settings, dataset, trainingRows, parts.Network.ParameterCount, parts.Engine, limits, errors);
        if (errors.Any) return null;

        return new TrainingJob
        {
            Id = trial?.JobId ?? Guid.CreateVersion7().ToString(),
            NetworkId = parts.Network.Id,
            DatasetId = dataset.Id,
            Status = JobStatus.Queued,
            Name = parts.Network.Name,
            Epochs = settings.Epochs,
            SettingsJson = JobMapper.Serialize(settings),
            CreatedAt = trial?.CreatedAt ?? DateTime.UtcNow,
            SweepId = trial?.SweepId,
            SweepParams = trial?.Params,
        };
    }

    public static async Task<(NetworkEntity, BackpropService.Engine.Network)?> ResolveNetworkAsync(CreateJobRequest request, BackpropDbContext db, JobPartsCache? cache, LimitsOptions limits, ValidationErrors errors, CancellationToken ct)
    {
        if (request.Network is not null == request.NetworkId is not null)
        {
            errors.Add("networkId", "give exactly one of networkId or an inline network.");
            return null;
        }
        if (request.NetworkId is { } id)
        {
            if (cache?.Network(id, db.OwnerFilter) is { } cached) return cached;
            // A sweep's inline network is added to the context (not yet saved) and its trials refer to it by id.
            if (db.Networks.Local.FirstOrDefault(n => n.Id == id) is { } added) return (added, NetworkStore.Load(added));
            var stored = await db.Networks.AsNoTracking().FirstOrDefaultAsync(n => n.Id == id, ct);
            if (stored is null) { errors.Add("networkId", $"Network '{id}' does not exist."); return null; }
            var engine = NetworkStore.Load(stored);
            cache?.Add(stored, engine);
            return (stored, engine);
        }
        var (network, kind) = NetworkFactory.Build(request.Network!, limits, errors, "network.");
        if (network is null) return null;
        var entity = NetworkStore.ToEntity(network, kind, request.Network!.Name);
        db.Networks.Add(entity);
        return (entity, network);
    }

    /// <summary>The request's dataset: a stored one without its rows (admission needs its shape only), or the inline one added to the context.</summary>
    public static async Task<Dataset?> ResolveDatasetAsync(CreateJobRequest request, BackpropDbContext db, JobPartsCache? cache, LimitsOptions limits, ValidationErrors errors, CancellationToken ct)
    {
        if (request.Dataset is not null == request.DatasetId is not null)
        {
            errors.Add("datasetId", "give exactly one of datasetId or an inline dataset.");
            return null;
        }
        if (request.DatasetId is { } id)
        {
            if (cache?.Dataset(id, db.OwnerFilter) is { } cached) return cached;
            if (db.Datasets.Local.FirstOrDefault(d => d.Id == id) is { } added) return added;
            var stored = await db.Datasets.AsNoTracking().Where(d => d.Id == id)
                .Select(d => new Dataset
                {
                    Id = d.Id, Name = d.Name, Rows = d.Rows, FeatureCount = d.FeatureCount, TargetCount = d.TargetCount,
                    Features = Array.Empty<byte>(), Targets = Array.Empty<byte>(), ClassesJson = d.ClassesJson, CreatedAt = d.CreatedAt, Owner = d.Owner,
                })
                .FirstOrDefaultAsync(ct);
            if (stored is null) errors.Add("datasetId", $"Dataset '{id}' does not exist.");
            else cache?.Add(stored);
            return stored;
        }
        var data = JsonDatasetParser.Parse(request.Dataset!, limits, errors, "dataset.");
        if (data is null) return null;
        var entity = DatasetStore.ToEntity(data);
        db.Datasets.Add(entity);
        return entity;
    }
}

/// <summary>A job's network (entity and engine form) and dataset, resolved and known to fit each other.</summary>
public sealed record JobParts(NetworkEntity Network, BackpropService.Engine.Network Engine, Dataset Dataset);

/// <summary>What makes a job a sweep's trial: its sweep, its id and creation time (the sweep's order) and its varied fields as JSON.</summary>
public sealed record TrialOf(string SweepId, string JobId, DateTime CreatedAt, string Params);
