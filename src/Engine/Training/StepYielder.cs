using System.Diagnostics;

namespace BackpropService.Engine.Training;

/// <summary>
/// Gives the training thread's core away (<see cref="Thread.Yield"/>) once per <c>interval</c> of training, between
/// steps. When every core is busy, a thread that wakes up (a web request, the flush loop) otherwise waits for a
/// busy thread's whole scheduler slice, a few milliseconds on Linux, and a request meets several such waits; a
/// trainer that yields every 200 µs hands its core over within that. With a core to spare, the yield returns at once
/// and costs about a microsecond per interval.
/// </summary>
/// <remarks>
/// The clock is read only every few steps (a full-batch XOR step takes ~0.4 µs, a clock read ~0.02): the stride
/// adapts so that it is read about four times per interval.
/// </remarks>
internal sealed class StepYielder
{
    private const int ChecksPerInterval = 4;
    private const int MaxStride = 1 << 16;

    private readonly long _interval;
    private readonly Func<long> _clock;
    private readonly Action _yield;
    private long _due;
    private long _lastCheck;
    private int _stride = 1;
    private int _untilCheck = 1;

    /// <param name="interval">How much training between yields, in <paramref name="clock"/> ticks.</param>
    /// <param name="clock">Monotonic ticks (default <see cref="Stopwatch.GetTimestamp"/>).</param>
    /// <param name="yield">What giving the core away means (default <see cref="Thread.Yield"/>).</param>
    public StepYielder(long interval, Func<long>? clock = null, Action? yield = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(interval);
        (_interval, _clock, _yield) = (interval, clock ?? Stopwatch.GetTimestamp, yield ?? (() => Thread.Yield()));
        _lastCheck = _clock();
        _due = _lastCheck + interval;
    }

    /// <summary>A yielder for <paramref name="interval"/> of wall-clock training, or null for zero (never yield).</summary>
    public static StepYielder? Every(TimeSpan interval) =>
        interval > TimeSpan.Zero ? new StepYielder(Math.Max(1, (long)(interval.TotalSeconds * Stopwatch.Frequency))) : null;

    /// <summary>Call after each step.</summary>
    public void AfterStep()
    {
        if (--_untilCheck > 0) return;
        Check();
    }

    private void Check()
    {
        var now = _clock();
        var perStep = Math.Max(1, (now - _lastCheck) / _stride);
        _stride = (int)Math.Clamp(_interval / ChecksPerInterval / perStep, 1, MaxStride);
        _untilCheck = _stride;
        if (now >= _due)
        {
            _yield();
            now = _clock(); // the time given away is not training: it neither counts towards the next yield nor the stride
            _due = now + _interval;
        }
        _lastCheck = now;
    }
}
