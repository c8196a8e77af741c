using System.Diagnostics;

namespace BackpropService.Cli.Output;

/// <summary>Epochs per second over the last two seconds, so a catch-up from /history does not inflate it for long.</summary>
public sealed class Rate
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Queue<(TimeSpan At, int Epoch)> _samples = new();

    public double PerSecond { get; private set; }

    public void Add(int epoch)
    {
        var now = _clock.Elapsed;
        _samples.Enqueue((now, epoch));
        while (_samples.Count > 2 && now - _samples.Peek().At > TimeSpan.FromSeconds(2)) _samples.Dequeue();
        var (at, first) = _samples.Peek();
        var seconds = (now - at).TotalSeconds;
        if (seconds > 0.05) PerSecond = (epoch - first) / seconds;
    }

    /// <summary>How long the remaining epochs take at the current rate; null before there is a rate.</summary>
    public TimeSpan? Remaining(int epoch, int total) =>
        PerSecond > 0 ? TimeSpan.FromSeconds(Math.Max(0, total - epoch) / PerSecond) : null;
}
