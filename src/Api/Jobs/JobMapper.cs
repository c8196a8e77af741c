using System.Text.Json;
using BackpropService.Api.Infrastructure;
using BackpropService.Engine;
using BackpropService.Persistence.Entities;

namespace BackpropService.Api.Jobs;

/// <summary>Job entity ↔ contract, and the stored settings ↔ the engine's <see cref="TrainingSettings"/>.</summary>
public static class JobMapper
{
    private static readonly JsonSerializerOptions StorageJson = new(JsonSerializerDefaults.Web);

    public static string Serialize(JobSettings settings) => JsonSerializer.Serialize(settings, StorageJson);

    public static JobSettings Settings(TrainingJob job) =>
        JsonSerializer.Deserialize<JobSettings>(job.SettingsJson, StorageJson)
        ?? throw new InvalidOperationException($"Job {job.Id} has no stored settings.");

    public static TrainingSettings ToEngine(JobSettings s) => new()
    {
        Epochs = s.Epochs,
        LearningRate = s.LearningRate,
        Optimizer = s.Optimizer,
        Momentum = s.Momentum,
        Beta1 = s.Beta1,
        Beta2 = s.Beta2,
        Epsilon = s.Epsilon,
        BatchSize = s.BatchSize,
        Seed = s.Seed,
        ValidationSplit = s.ValidationSplit,
        WeightDecay = s.WeightDecay,
        TargetCost = s.TargetCost,
        Shuffle = s.Shuffle,
    };

    public static JobResponse ToResponse(TrainingJob job)
    {
        var s = Settings(job);
        return new JobResponse(
            job.Id, job.Status, job.NetworkId, job.DatasetId, job.Epochs, job.EpochsCompleted,
            Finite.OrNull(job.Cost), Finite.OrNull(job.ValidationCost),
            job.CreatedAt, job.StartedAt, job.FinishedAt, job.Error,
            s.LearningRate, s.Optimizer, s.BatchSize, s.Seed, job.Attempts);
    }
}
