using BackpropService.Api.Jobs;
using BackpropService.Api.Sweeps;
using BackpropService.Persistence;
using BackpropService.Persistence.Entities;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Training;

/// <summary>
/// Publishes a job's status to its hub group, reading the job as persisted (publish after persist); for a sweep's
/// trial also the <c>trial</c> message and the sweep object, counted afresh, to the sweep's group.
/// </summary>
public sealed class JobEvents(IHubContext<TrainingHub, ITrainingClient> hub, IDbContextFactory<BackpropDbContext> dbs, JobSubscribers subscribers,
    ScaleOut.StreamSharing sharing, ILogger<JobEvents> logger)
    : IJobStatusPublisher, ISweepEvents
{
    public async Task PublishStatusAsync(string jobId)
    {
        // Nobody here listens (and no other replica can, without a backplane): the job is in the database for GET.
        if (!sharing.AcrossReplicas && !subscribers.AnyFor(jobId)) return;
        try
        {
            await using var db = await dbs.CreateDbContextAsync();
            var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == jobId);
            if (job is null) return;
            await hub.Clients.Group(TrainingHub.Group(jobId)).status(JobMapper.ToResponse(job));
            if (job.SweepId is { } sweepId)
            {
                await hub.Clients.Group(TrainingHub.SweepGroup(sweepId)).trial(Trial(job));
                await PublishSweepAsync(db, sweepId);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A lost notification must not fail the job: the state is in the database and GET shows it.
            logger.LogWarning(ex, "Could not publish the status of job {JobId}", jobId);
        }
    }

    /// <summary>A cancelled sweep: each queued trial it cancelled (to its job's group and the sweep's), then the sweep once.</summary>
    public async Task PublishCancelledAsync(string sweepId, IReadOnlyList<string> cancelledJobIds)
    {
        try
        {
            await using var db = await dbs.CreateDbContextAsync();
            foreach (var chunk in cancelledJobIds.Chunk(500))
            {
                foreach (var job in await db.Jobs.AsNoTracking().Where(j => chunk.Contains(j.Id)).ToListAsync())
                {
                    await hub.Clients.Group(TrainingHub.Group(job.Id)).status(JobMapper.ToResponse(job));
                    await hub.Clients.Group(TrainingHub.SweepGroup(sweepId)).trial(Trial(job));
                }
            }
            await PublishSweepAsync(db, sweepId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not publish the cancel of sweep {SweepId}", sweepId);
        }
    }

    // NOTE: trials of one sweep may end at once (a slot frees as its job has trained, so one trial's end runs beside
    // the next one's): each sweep message is read and sent under its sweep's stripe, so they go out in the order they
    // were counted and a subscriber never sees a count go back. Striped, as JobStreamGate: bounded memory.
    private readonly SemaphoreSlim[] _sweepStripes = Enumerable.Range(0, 16).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    private async Task PublishSweepAsync(BackpropDbContext db, string sweepId)
    {
        var stripe = _sweepStripes[(int)((uint)StringComparer.Ordinal.GetHashCode(sweepId) % (uint)_sweepStripes.Length)];
        await stripe.WaitAsync();
        try
        {
            var sweep = await db.Sweeps.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sweepId);
            if (sweep is not null)
                await hub.Clients.Group(TrainingHub.SweepGroup(sweepId)).sweep(await SweepReader.ReadAsync(db, sweep, CancellationToken.None));
        }
        finally
        {
            stripe.Release();
        }
    }

    private static TrialMessage Trial(TrainingJob job) => new(job.SweepId!, job.Id, SweepReader.Wire(job.Status), job.EpochsCompleted,
        Infrastructure.Finite.OrNull(job.Cost), Infrastructure.Finite.OrNull(job.ValidationCost));
}
