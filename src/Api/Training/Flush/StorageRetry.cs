using BackpropService.Api.Reliability;
using BackpropService.Persistence.Dialects;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Training;

/// <summary>
/// Retries a database write that failed with a storage fault (busy, locked, full, I/O) with backoff, for at most
/// <see cref="TrainingOptions.StorageRetryTimeout"/>; then gives up with a <see cref="StorageUnavailableException"/>
/// that says what failed. Other exceptions pass through at once: retrying a bug only hides it.
/// </summary>
public sealed class StorageRetry(IDatabaseDialect dialect, IOptions<TrainingOptions> options, TimeProvider time, ILogger<StorageRetry> logger)
{
    private const int MinTries = 3;

    public async Task<T> RunAsync<T>(string what, Func<Task<T>> write, CancellationToken ct = default)
    {
        var started = time.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(50);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await write();
            }
            catch (Exception ex) when (dialect.FindFault(ex) is { } fault)
            {
                var elapsed = time.GetElapsedTime(started);
                var budget = options.Value.StorageRetryTimeout;
                // NOTE: at least MinTries, so one slow try (a statement that waited out its own timeout on a
                // snapshot that could never be written) is followed by a fresh transaction before giving up.
                if (attempt >= MinTries && elapsed + delay > budget)
                    throw new StorageUnavailableException(
                        $"Could not {what}: {fault.Reason} (gave up after {attempt} tries in {elapsed.TotalSeconds:F1} s).", ex);
                logger.LogWarning("Could not {What} ({Reason}); try {Attempt}, retrying in {Delay} ms",
                    what, fault.Reason, attempt, (int)delay.TotalMilliseconds);
                await Task.Delay(delay, time, ct);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 2000));
            }
        }
    }
}
