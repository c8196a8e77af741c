using Microsoft.AspNetCore.SignalR.Client;

namespace BackpropService.Client.Watching;

/// <summary>SignalR's automatic reconnect: quickly at first, then every 2 s, until <paramref name="timeout"/> has passed.</summary>
internal sealed class ReconnectForAWhile(TimeSpan timeout) : IRetryPolicy
{
    public TimeSpan? NextRetryDelay(RetryContext context) =>
        context.ElapsedTime >= timeout
            ? null
            : TimeSpan.FromMilliseconds(Math.Min(2000, 100 * Math.Pow(2, Math.Min(context.PreviousRetryCount, 5))));
}
