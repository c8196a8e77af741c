using BackpropService.Persistence.Entities;

namespace BackpropService.Persistence.Tests.History;

/// <summary>A finished job "j1" (with its network and dataset) for history tests to write chunks for.</summary>
internal static class HistoryJob
{
    public const string Id = "j1";

    public static void Seed(BackpropDbContext db)
    {
        db.AddRange(
            new Network { Id = "n1", Name = "xor", Kind = "layers", GraphJson = "{}", Inputs = 2, Outputs = 1, ParameterCount = 9, CreatedAt = DateTime.UtcNow },
            new Dataset { Id = "d1", Name = "xor", Rows = 1, FeatureCount = 2, TargetCount = 1, Features = new byte[8], Targets = new byte[4], CreatedAt = DateTime.UtcNow },
            new TrainingJob { Id = Id, NetworkId = "n1", DatasetId = "d1", Status = JobStatus.Succeeded, Epochs = 10, SettingsJson = "{}", CreatedAt = DateTime.UtcNow });
        db.SaveChanges();
    }
}
