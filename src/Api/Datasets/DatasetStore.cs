using System.Runtime.InteropServices;
using System.Text.Json;
using BackpropService.Engine;
using BackpropService.Persistence.Entities;

namespace BackpropService.Api.Datasets;

/// <summary>Datasets as stored: float32 blobs (little-endian, row-major) plus the class names as JSON.</summary>
public static class DatasetStore
{
    public static Dataset ToEntity(DatasetData data) => new()
    {
        Id = Guid.CreateVersion7().ToString(),
        Name = data.Name,
        Rows = data.Rows,
        FeatureCount = data.FeatureCount,
        TargetCount = data.TargetCount,
        Features = MemoryMarshal.AsBytes(data.Features.AsSpan()).ToArray(),
        Targets = MemoryMarshal.AsBytes(data.Targets.AsSpan()).ToArray(),
        ClassesJson = data.Classes is null ? null : JsonSerializer.Serialize(data.Classes),
        CreatedAt = DateTime.UtcNow,
    };

    public static DatasetResponse ToResponse(Dataset entity) =>
        ToResponse(entity.Id, entity.Name, entity.Rows, entity.FeatureCount, entity.TargetCount, entity.ClassesJson, entity.CreatedAt);

    /// <summary>The response from the columns alone, for queries that project away the feature and target blobs.</summary>
    public static DatasetResponse ToResponse(string id, string name, int rows, int featureCount, int targetCount, string? classesJson, DateTime createdAt) =>
        new(id, name, rows, featureCount, targetCount,
            classesJson is null ? null : JsonSerializer.Deserialize<List<string>>(classesJson), createdAt);

    public static TrainingData ToTrainingData(Dataset entity) => new(
        MemoryMarshal.Cast<byte, float>(entity.Features).ToArray(),
        MemoryMarshal.Cast<byte, float>(entity.Targets).ToArray(),
        entity.Rows, entity.FeatureCount, entity.TargetCount);

    /// <summary>One row of the dataset, widened to double for the float64 graph evaluator.</summary>
    public static (double[] Features, double[] Targets) Row(Dataset entity, int row)
    {
        var features = MemoryMarshal.Cast<byte, float>(entity.Features).Slice(row * entity.FeatureCount, entity.FeatureCount);
        var targets = MemoryMarshal.Cast<byte, float>(entity.Targets).Slice(row * entity.TargetCount, entity.TargetCount);
        var f = new double[features.Length];
        var t = new double[targets.Length];
        for (var i = 0; i < f.Length; i++) f[i] = features[i];
        for (var i = 0; i < t.Length; i++) t[i] = targets[i];
        return (f, t);
    }
}
