using System.Runtime.CompilerServices;
using System.Threading.Channels;
using BackpropService.Client.Models;
using BackpropService.Client.Watching;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Client;

public sealed partial class BackpropClient
{
    public const string HubPath = "/hubs/training";

    /// <summary>
    /// Every epoch of the job, 1..N, exactly once and in order, as it trains; ends when the job has finished and its
    /// last epoch was yielded. The history up to the subscription mark comes from /history, later epochs from the
    /// hub (MessagePack). After a dropped connection it reconnects, subscribes again and fills what it missed from
    /// /history; an epoch seen twice (a takeover after a crash) is yielded once, and a hole is filled from /history.
    /// </summary>
    public async IAsyncEnumerable<EpochPoint> WatchAsync(string jobId, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await GetJobAsync(jobId, ct).ConfigureAwait(false); // an unknown job is a 404 here, not a hub error
        var events = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });
        await using var hub = BuildHub(events.Writer);
        hub.On<EpochsMessage>("epochs", message =>
        {
            if (message.JobId == jobId) events.Writer.TryWrite(new WatchEvent.Epochs(message.Points));
        });
        hub.On<Job>("status", job =>
        {
            if (job.Id == jobId) events.Writer.TryWrite(new WatchEvent.Status(job));
        });
        await hub.StartAsync(ct).ConfigureAwait(false);
        events.Writer.TryWrite(new WatchEvent.Subscribe());

        var last = 0;
        await foreach (var item in events.Reader.ReadAllAsync(ct).ConfigureAwait(false))
        {
            var finished = false;
            var through = 0;
            switch (item)
            {
                case WatchEvent.Subscribe:
                    if (await TrySubscribeAsync<Job>(hub, "Subscribe", jobId, ct).ConfigureAwait(false) is not { } job) continue;
                    finished = job.IsFinished;
                    through = finished ? int.MaxValue : job.EpochsCompleted;
                    break;
                case WatchEvent.Status status:
                    finished = status.Job.IsFinished;
                    through = finished ? int.MaxValue : 0;
                    break;
                case WatchEvent.Epochs epochs:
                    foreach (var point in epochs.Points)
                    {
                        if (point.Epoch <= last) continue;
                        // A hole (epochs published while this connection was away): /history has them.
                        await foreach (var missed in HistoryAsync(jobId, last, point.Epoch - 1, null, ct).ConfigureAwait(false))
                            if (missed.Epoch > last) { yield return missed; last = missed.Epoch; }
                        yield return point;
                        last = point.Epoch;
                    }
                    continue;
                case WatchEvent.Closed closed:
                    throw new HttpRequestException(HttpRequestError.ConnectionError,
                        $"The training stream of job {jobId} closed and did not come back within {_options.ReconnectTimeout}.", closed.Error);
            }
            await foreach (var point in HistoryAsync(jobId, last, through, null, ct).ConfigureAwait(false))
                if (point.Epoch > last) { yield return point; last = point.Epoch; }
            if (finished) yield break;
        }
    }

    /// <summary>A hub connection that reconnects for a while and tells <paramref name="events"/> when to subscribe (again) and when it is gone; the caller adds its messages' handlers.</summary>
    private HubConnection BuildHub(ChannelWriter<WatchEvent> events)
    {
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(_options.BaseAddress, HubPath), connection =>
            {
                if (!string.IsNullOrEmpty(_options.ApiKey)) connection.Headers[ApiKeyHeader] = _options.ApiKey;
                _options.ConfigureHub?.Invoke(connection);
            })
            .AddMessagePackProtocol(protocol => protocol.SerializerOptions = HubMessagePack.Options)
            .WithAutomaticReconnect(new ReconnectForAWhile(_options.ReconnectTimeout))
            .Build();
        hub.Reconnected += _ => Task.FromResult(events.TryWrite(new WatchEvent.Subscribe()));
        hub.Closed += error => Task.FromResult(events.TryWrite(new WatchEvent.Closed(error)));
        return hub;
    }

    /// <summary>What the hub's <paramref name="method"/> (Subscribe, SubscribeSweep) returns for <paramref name="id"/> at
    /// the subscription mark, or null when the connection dropped meanwhile (its reconnect subscribes again).</summary>
    private static async Task<T?> TrySubscribeAsync<T>(HubConnection hub, string method, string id, CancellationToken ct) where T : class
    {
        try
        {
            return await hub.InvokeAsync<T>(method, id, ct).ConfigureAwait(false);
        }
        catch (HubException error)
        {
            throw new BackpropApiException(404, "Not Found", error.Message, new Dictionary<string, string[]>());
        }
        catch (Exception) when (hub.State != HubConnectionState.Connected && !ct.IsCancellationRequested)
        {
            return null;
        }
    }
}
