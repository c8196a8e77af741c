using BackpropService.Api.Jobs;
using BackpropService.Persistence;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Training;

/// <summary>Publishes a job's status to its hub group, reading the job as persisted (publish after persist).</summary>
public sealed class JobEvents(IHubContext<TrainingHub, ITrainingClient> hub, IDbContextFactory<BackpropDbContext> dbs, ILogger<JobEvents> logger) : IJobStatusPublisher
{
    public async Task PublishStatusAsync(string jobId)
    {
        try
        {
            await using var db = await dbs.CreateDbContextAsync();
            var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == jobId);
            if (job is not null)
                await hub.Clients.Group(TrainingHub.Group(jobId)).status(JobMapper.ToResponse(job));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A lost notification must not fail the job: the state is in the database and GET shows it.
            logger.LogWarning(ex, "Could not publish the status of job {JobId}", jobId);
        }
    }
}
