using BackpropService.Api.Jobs;
using BackpropService.Api.Sweeps;
using BackpropService.Persistence;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Training;

/// <summary>
/// Live training progress: clients join a job's group (the worker sends <c>epochs</c> and <c>status</c> to it) or a
/// sweep's (<c>trial</c> and <c>sweep</c>).
/// </summary>
public sealed class TrainingHub(BackpropDbContext db, JobStreamGate gate, JobSubscribers subscribers, TimeProvider time) : Hub<ITrainingClient>
{
    public const string Path = "/hubs/training";

    public static string Group(string jobId) => $"job:{jobId}";

    public static string SweepGroup(string sweepId) => $"sweep:{sweepId}";

    /// <summary>
    /// Joins the job's group and returns the job as it is now; its <c>epochsCompleted</c> (k) is the last epoch this
    /// connection will not be sent. See <see cref="JobStreamGate"/> for why that holds.
    /// </summary>
    public async Task<JobResponse> Subscribe(string jobId)
    {
        if (string.IsNullOrWhiteSpace(jobId) || jobId.Length > 100)
            throw new HubException("Subscribe needs a job id.");
        await using (await gate.EnterAsync(jobId, Context.ConnectionAborted))
        {
            if (!await db.Jobs.AnyAsync(j => j.Id == jobId, Context.ConnectionAborted))
                throw new HubException($"Job '{jobId}' does not exist.");
            // Counted, then joined, then read: a status change committed after the read is published after the join.
            subscribers.Add(Context.ConnectionId, Group(jobId), jobId);
            await Groups.AddToGroupAsync(Context.ConnectionId, Group(jobId), Context.ConnectionAborted);
            var job = await db.Jobs.AsNoTracking().FirstAsync(j => j.Id == jobId, Context.ConnectionAborted);
            return JobMapper.ToResponse(job, await QueuePositions.OfAsync(db, job, time.GetUtcNow().UtcDateTime, Context.ConnectionAborted));
        }
    }

    public async Task Unsubscribe(string jobId)
    {
        if (string.IsNullOrWhiteSpace(jobId)) throw new HubException("Unsubscribe needs a job id.");
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, Group(jobId));
        subscribers.Remove(Context.ConnectionId, Group(jobId), jobId);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        subscribers.RemoveConnection(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>
    /// Joins the sweep's group and returns the sweep as it is now; then come <c>trial</c> and <c>sweep</c> messages.
    /// Joined before the read, so a change committed after the read is sent to this connection too.
    /// </summary>
    public async Task<SweepResponse> SubscribeSweep(string sweepId)
    {
        if (string.IsNullOrWhiteSpace(sweepId) || sweepId.Length > 100)
            throw new HubException("SubscribeSweep needs a sweep id.");
        if (!await db.Sweeps.AnyAsync(s => s.Id == sweepId, Context.ConnectionAborted))
            throw new HubException($"Sweep '{sweepId}' does not exist.");
        subscribers.Add(Context.ConnectionId, SweepGroup(sweepId), jobId: null);
        await Groups.AddToGroupAsync(Context.ConnectionId, SweepGroup(sweepId), Context.ConnectionAborted);
        var sweep = await db.Sweeps.AsNoTracking().FirstAsync(s => s.Id == sweepId, Context.ConnectionAborted);
        return await SweepReader.ReadAsync(db, sweep, Context.ConnectionAborted);
    }

    public async Task UnsubscribeSweep(string sweepId)
    {
        if (string.IsNullOrWhiteSpace(sweepId)) throw new HubException("UnsubscribeSweep needs a sweep id.");
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, SweepGroup(sweepId));
        subscribers.Remove(Context.ConnectionId, SweepGroup(sweepId), jobId: null);
    }
}
