using Microsoft.AspNetCore.SignalR;

namespace BackpropService.Reliability.Tests.Harness;

/// <summary>
/// A hub filter that watches the next <c>Subscribe</c> call: when it reached the hub, and whether it returned before
/// a given task completed (e.g. a held message's release).
/// </summary>
public sealed class SubscribeProbe : IHubFilter
{
    private TaskCompletionSource? _entered;
    private Task? _until;
    private readonly TaskCompletionSource<bool> _returnedEarly = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Watches the next Subscribe; the returned task completes when it reaches the hub method.</summary>
    public Task Watch(Task until)
    {
        _until = until;
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _entered, entered);
        return entered.Task;
    }

    /// <summary>Completes when the watched Subscribe returns: true if it did before <c>until</c> completed.</summary>
    public Task<bool> ReturnedEarly => _returnedEarly.Task;

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var watched = invocationContext.HubMethodName == "Subscribe" ? Interlocked.Exchange(ref _entered, null) : null;
        var until = _until;
        watched?.TrySetResult();
        var result = await next(invocationContext);
        if (watched is not null) _returnedEarly.TrySetResult(!until!.IsCompleted);
        return result;
    }
}
