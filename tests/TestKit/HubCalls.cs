using Microsoft.AspNetCore.SignalR.Client;

namespace BackpropService.TestKit;

/// <summary>
/// Hub calls with a deadline. A SignalR client waits for an invocation's answer as long as the server keeps the
/// connection alive (its pings do), so a hub method that never returns (a job's stream gate held by a send that never
/// ends) would hang the test run; here it fails the test, naming the call.
/// </summary>
public static class HubCalls
{
    /// <summary>Longer than any start or Subscribe takes on a loaded machine; what the TestKit's own calls allow.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task StartWithinAsync(this HubConnection connection, TimeSpan timeout, string what)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await connection.StartAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"The hub connection to {what} did not start within {timeout}.");
        }
    }

    public static async Task<T> InvokeWithinAsync<T>(this HubConnection connection, string method, object? argument, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            return await connection.InvokeAsync<T>(method, argument, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"The hub did not answer {method}({argument}) within {timeout}: is the job's stream gate held (a flush or a held epochs message that never ends)?");
        }
    }
}
