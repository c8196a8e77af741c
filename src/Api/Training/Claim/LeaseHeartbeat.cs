using BackpropService.Persistence;

namespace BackpropService.Api.Training;

/// <summary>
/// Renews an attempt's lease every <see cref="TrainingOptions.LeaseDuration"/> / 3 on its own, fenced by the attempt
/// token, so no flush, re-send or slow subscriber can starve it: a live owner keeps its job while it works. A renewal
/// that finds the token replaced stops the attempt's trainer and completes <see cref="Lost"/>: the attempt stops at once. A renewal that fails on
/// storage (busy, locked) is tried again at the next beat; one that sees a cancel requested through another replica
/// stops the trainer as a local cancel request would.
/// </summary>
public sealed class LeaseHeartbeat : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _beating;

    private LeaseHeartbeat(JobLeases leases, JobClaim claim, CancellationTokenSource trainer, TimeSpan every, TimeProvider time, ILogger logger) =>
        _beating = BeatAsync(leases, claim, trainer, every, time, logger);

    /// <summary>Completes when the lease was lost; faults when renewing failed for a reason other than storage.</summary>
    public Task Lost => _lost.Task;

    public static LeaseHeartbeat Start(JobLeases leases, JobClaim claim, CancellationTokenSource trainer, TimeSpan leaseDuration, TimeProvider time, ILogger logger) =>
        new(leases, claim, trainer, leaseDuration / 3, time, logger);

    private async Task BeatAsync(JobLeases leases, JobClaim claim, CancellationTokenSource trainer, TimeSpan every, TimeProvider time, ILogger logger)
    {
        await Task.Yield(); // the first beat is a period away: return to the attempt at once
        using var timer = new PeriodicTimer(every, time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                JobLeases.Renewal renewal;
                try
                {
                    renewal = await leases.RenewAsync(claim, _stop.Token);
                }
                catch (Exception ex) when (leases.FindFault(ex) is { } fault)
                {
                    logger.LogWarning("Could not renew the lease on job {JobId} ({Reason}); trying again in {Interval} ms",
                        claim.JobId, fault.Reason, (int)every.TotalMilliseconds);
                    continue;
                }
                if (renewal == JobLeases.Renewal.Lost)
                {
                    Stop(trainer); // at once; the attempt writes nothing more
                    _lost.TrySetResult();
                    return;
                }
                if (renewal == JobLeases.Renewal.RenewedCancelRequested) Stop(trainer);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped by the attempt: its lease is finished, released or no longer needed.
        }
        catch (Exception ex)
        {
            _lost.TrySetException(ex);
        }
    }

    private static void Stop(CancellationTokenSource trainer)
    {
        try { trainer.Cancel(); } catch (ObjectDisposedException) { /* the attempt ended meanwhile */ }
    }

    /// <summary>Stops renewing (before a release, which must be the attempt's last word on its lease). Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await _stop.CancelAsync();
        await _beating;
    }
}
