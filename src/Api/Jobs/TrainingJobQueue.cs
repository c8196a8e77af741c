using System.Threading.Channels;

namespace BackpropService.Api.Jobs;

/// <summary>
/// A wake-up call for the worker, never the only copy of a job: the jobs table is the queue of record.
/// Many nudges collapse into one pending signal.
/// </summary>
public sealed class TrainingJobQueue
{
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Nudge() => _signal.Writer.TryWrite(true);

    public async Task WaitAsync(CancellationToken cancellationToken) => await _signal.Reader.ReadAsync(cancellationToken);
}
