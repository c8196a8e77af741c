using System.Text.Json;
using BackpropService.Api.Infrastructure;
using BackpropService.Engine;
using BackpropService.Persistence.Entities;

namespace BackpropService.Api.Jobs;

/// <summary>Job entity → contract, and the engine's <see cref="TrainingSettings"/> ↔ the job's stored JSON.</summary>
public static class JobMapper
{
    private static readonly JsonSerializerOptions StorageJson = new(JsonSerializerDefaults.Web);

    public static string Serialize(TrainingSettings settings) => JsonSerializer.Serialize(settings, StorageJson);

    /// <summary>The stored settings; a member missing from an older row keeps its default.</summary>
    public static TrainingSettings Settings(TrainingJob job) => Settings(job.Id, job.SettingsJson);

    /// <summary>The settings stored as <paramref name="settingsJson"/> for job <paramref name="jobId"/>.</summary>
    public static TrainingSettings Settings(string jobId, string settingsJson) =>
        JsonSerializer.Deserialize<TrainingSettings>(settingsJson, StorageJson)
        ?? throw new InvalidOperationException($"Job {jobId} has no stored settings.");

    /// <summary>The job object; <paramref name="queuePosition"/> from <see cref="QueuePositions"/> while it is queued.</summary>
    public static JobResponse ToResponse(TrainingJob job, int? queuePosition = null)
    {
        var s = Settings(job);
        return new JobResponse(
            job.Id, job.Status, job.NetworkId, job.DatasetId, job.Name, job.Notes, JobTags.Split(job.Tags), job.Epochs, job.EpochsCompleted,
            Finite.OrNull(job.Cost), Finite.OrNull(job.ValidationCost),
            job.CreatedAt, job.StartedAt, job.FinishedAt, job.Error,
            s.LearningRate, s.Optimizer, s.BatchSize, s.Seed, job.Attempts,
            LearningRates.Current(s, job.EpochsCompleted),
            job.StoppedEarly, job.BestEpoch, Finite.OrNull(job.BestMetric), queuePosition,
            job.InitialWeightsFromJob is { } from ? new InitialWeightsSource { FromJob = from } : null,
            job.Accuracy, job.ValidationAccuracy, s.RecordGradientNorms, job.SweepId, s.LearningRateSchedule);
    }
}
