using System.Diagnostics;

namespace BackpropService.TestKit;

/// <summary>Waits for a condition the test cannot be told about (a row in a database, a line in a log), by looking again.</summary>
public static class Wait
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, Func<string>? describe = null) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, describe);

    /// <summary>Returns once <paramref name="condition"/> holds; throws <see cref="TimeoutException"/> (with <paramref name="describe"/>) after <paramref name="timeout"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string>? describe = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"Not true within {timeout}: {describe?.Invoke() ?? "the awaited condition"}");
            await Task.Delay(Interval);
        }
    }

    /// <summary>Until <c>GET /health</c> answers 200; fails at once should <paramref name="exited"/> say the process is gone.</summary>
    public static Task UntilHealthyAsync(HttpClient client, TimeSpan timeout, Func<bool> exited, Func<string> log) =>
        UntilAsync(async () =>
        {
            if (exited()) throw new InvalidOperationException($"The service exited while starting:\n{log()}");
            try
            {
                using var response = await client.GetAsync("/health");
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException) { return false; } // not listening yet
            catch (TaskCanceledException) { return false; } // accepted but not answering yet
        }, timeout, () => $"the service healthy\n{log()}");
}
