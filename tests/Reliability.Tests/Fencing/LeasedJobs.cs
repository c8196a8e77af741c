using BackpropService.Engine;
using BackpropService.Persistence;
using BackpropService.Persistence.Entities;
using BackpropService.Reliability.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Reliability.Tests.Fencing;

/// <summary>
/// Jobs the fencing tests write to: running, their lease held for an hour by another worker under a known attempt
/// token (its second attempt), stored directly so that no worker of the test's service claims them.
/// </summary>
internal static class LeasedJobs
{
    /// <summary>Three epochs of history an attempt stores.</summary>
    public static readonly EpochReport[] Points = [new(1, 0.5, null), new(2, 0.4, null), new(3, 0.3, null)];

    /// <summary>Stores such a job of <paramref name="epochs"/> epochs; its token is <paramref name="token"/>, or "owner-" + its id.</summary>
    public static async Task<string> AddAsync(InProcessService app, string networkId, string datasetId, int epochs, string? token = null)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BackpropDbContext>();
        var id = Guid.NewGuid().ToString();
        db.Jobs.Add(new TrainingJob
        {
            Id = id, NetworkId = networkId, DatasetId = datasetId, Status = JobStatus.Running, Epochs = epochs, SettingsJson = "{}",
            CreatedAt = DateTime.UtcNow, StartedAt = DateTime.UtcNow, LeaseOwner = "elsewhere", LeaseExpiresAt = DateTime.UtcNow.AddHours(1),
            AttemptToken = token ?? "owner-" + id, Attempts = 2,
        });
        await db.SaveChangesAsync();
        return id;
    }
}
