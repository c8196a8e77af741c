using System.Runtime.CompilerServices;
using System.Threading.Channels;
using BackpropService.Client.Models;
using BackpropService.Client.Watching;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace BackpropService.Client;

public sealed partial class BackpropClient
{
    /// <summary>
    /// A sweep's progress as the hub sends it (<c>SubscribeSweep</c>): first the sweep as it is, then each trial's
    /// progress and status (<see cref="SweepUpdate.TrialChanged"/>) and the sweep on each change of its counts or
    /// status (<see cref="SweepUpdate.SweepChanged"/>); ends after the update that shows the sweep ended. After a
    /// dropped connection it reconnects (as <see cref="WatchAsync"/> does), subscribes again and yields the sweep as it
    /// is then: trial messages sent meanwhile are not replayed, the sweep's counts and <c>/trials</c> hold their result.
    /// </summary>
    public async IAsyncEnumerable<SweepUpdate> WatchSweepAsync(string sweepId, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var current = await GetSweepAsync(sweepId, ct).ConfigureAwait(false); // an unknown sweep is a 404 here, not a hub error
        if (current.IsFinished)
        {
            yield return new SweepUpdate.SweepChanged(current);
            yield break;
        }
        var events = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });
        await using var hub = BuildHub(events.Writer);
        hub.On<TrialUpdate>("trial", trial =>
        {
            if (trial.SweepId == sweepId) events.Writer.TryWrite(new WatchEvent.OfSweep(new SweepUpdate.TrialChanged(trial)));
        });
        hub.On<Sweep>("sweep", sweep =>
        {
            if (sweep.Id == sweepId) events.Writer.TryWrite(new WatchEvent.OfSweep(new SweepUpdate.SweepChanged(sweep)));
        });
        await hub.StartAsync(ct).ConfigureAwait(false);
        events.Writer.TryWrite(new WatchEvent.Subscribe());

        await foreach (var item in events.Reader.ReadAllAsync(ct).ConfigureAwait(false))
        {
            SweepUpdate update;
            switch (item)
            {
                case WatchEvent.Subscribe:
                    if (await TrySubscribeAsync<Sweep>(hub, "SubscribeSweep", sweepId, ct).ConfigureAwait(false) is not { } subscribed) continue;
                    update = new SweepUpdate.SweepChanged(subscribed);
                    break;
                case WatchEvent.OfSweep sweepEvent:
                    update = sweepEvent.Update;
                    break;
                case WatchEvent.Closed closed:
                    throw new HttpRequestException(HttpRequestError.ConnectionError,
                        $"The progress stream of sweep {sweepId} closed and did not come back within {_options.ReconnectTimeout}.", closed.Error);
                default:
                    continue;
            }
            yield return update;
            if (update is SweepUpdate.SweepChanged { Sweep.IsFinished: true }) yield break;
        }
    }
}
