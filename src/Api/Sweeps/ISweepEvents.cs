namespace BackpropService.Api.Sweeps;

/// <summary>
/// Tells a sweep's subscribers what a cancel changed (the hub side implements it): each cancelled queued trial's new
/// status and the sweep's. Trials that were running announce their own end, as every job does.
/// </summary>
public interface ISweepEvents
{
    Task PublishCancelledAsync(string sweepId, IReadOnlyList<string> cancelledJobIds);
}
