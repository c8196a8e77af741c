using BackpropService.Api.Training;
using Microsoft.AspNetCore.SignalR;

namespace BackpropService.Reliability.Tests.Harness;

/// <summary>
/// The service's SignalR lifetime manager, except that the <c>epochs</c> message carrying <paramref name="heldEpoch"/>
/// waits until <see cref="Release"/>: a subscriber too slow to take those epochs (a job's last ones, a live flush, a
/// re-send), made deterministic. Messages hold consecutive epochs, so "carrying" is first ≤ held ≤ last.
/// </summary>
public sealed class HeldStreamLifetimeManager(HubLifetimeManager<TrainingHub> inner, int heldEpoch) : HubLifetimeManager<TrainingHub>
{
    /// <summary>
    /// The longest the held message waits for <see cref="Release"/>: far past any test's wait while it holds, so that a
    /// test that fails without releasing leaves the flush loop (and the host's shutdown) waiting a bounded time. The
    /// send then fails, which the service logs as a failed stream send.
    /// </summary>
    public static readonly TimeSpan HoldLimit = TimeSpan.FromMinutes(3);

    /// <summary>Completes when the held message is being sent.</summary>
    public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How many messages carrying the held epoch are waiting now (one per job whose stream reached it).</summary>
    public int Holding => Volatile.Read(ref _holding);

    private int _holding;

    public override async Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        if (methodName == "epochs" && args is [EpochsMessage { Points: [var first, ..] and [.., var last] }]
            && first.Epoch <= heldEpoch && heldEpoch <= last.Epoch)
        {
            Interlocked.Increment(ref _holding);
            Reached.TrySetResult();
            try
            {
                await Release.Task.WaitAsync(HoldLimit); // not the send's token: its deadline (StreamSendTimeout) is what a held subscriber outlasts
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"The epochs message carrying epoch {heldEpoch} was held {HoldLimit} and never released by the test.");
            }
            finally
            {
                Interlocked.Decrement(ref _holding);
            }
        }
        await inner.SendGroupAsync(groupName, methodName, args, cancellationToken);
    }

    public override Task OnConnectedAsync(HubConnectionContext connection) => inner.OnConnectedAsync(connection);
    public override Task OnDisconnectedAsync(HubConnectionContext connection) => inner.OnDisconnectedAsync(connection);
    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) => inner.SendAllAsync(methodName, args, cancellationToken);
    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) => inner.SendAllExceptAsync(methodName, args, excludedConnectionIds, cancellationToken);
    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default) => inner.SendConnectionAsync(connectionId, methodName, args, cancellationToken);
    public override Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default) => inner.SendConnectionsAsync(connectionIds, methodName, args, cancellationToken);
    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default) => inner.SendGroupsAsync(groupNames, methodName, args, cancellationToken);
    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) => inner.SendGroupExceptAsync(groupName, methodName, args, excludedConnectionIds, cancellationToken);
    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default) => inner.SendUserAsync(userId, methodName, args, cancellationToken);
    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default) => inner.SendUsersAsync(userIds, methodName, args, cancellationToken);
    public override Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) => inner.AddToGroupAsync(connectionId, groupName, cancellationToken);
    public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) => inner.RemoveFromGroupAsync(connectionId, groupName, cancellationToken);
}
