using BackpropService.Engine.Training;

namespace BackpropService.Engine.Tests.Training;

public class StepYielderTests
{
    /// <summary>A clock that each step advances by a fixed amount, and counts its reads and the yields.</summary>
    private sealed class FakeCore(long ticksPerStep, long ticksPerYield = 0)
    {
        public long Now;
        public int Reads;
        public int Yields;
        public long Clock() { Reads++; return Now; }
        public void Yield() { Yields++; Now += ticksPerYield; }
        public void Steps(StepYielder yielder, int count)
        {
            for (var i = 0; i < count; i++) { Now += ticksPerStep; yielder.AfterStep(); }
        }
    }

    [Theory]
    [InlineData(1, 1_000)]   // very short steps: many per interval
    [InlineData(10, 1_000)]
    [InlineData(400, 1_000)] // a few per interval
    [InlineData(5_000, 1_000)] // steps longer than the interval: a yield after each
    public void YieldsOncePerIntervalOfTraining(long ticksPerStep, long interval)
    {
        var core = new FakeCore(ticksPerStep);
        var yielder = new StepYielder(interval, core.Clock, core.Yield);
        const int steps = 100_000;
        core.Steps(yielder, steps);

        var expected = Math.Min(steps, steps * ticksPerStep / interval);
        // Checked a quarter interval apart, so a yield comes at most that late: never more than one per interval.
        Assert.InRange(core.Yields, expected * 0.75, expected);
    }

    [Fact]
    public void ReadsTheClockAFewTimesPerIntervalNotEveryStep()
    {
        var core = new FakeCore(ticksPerStep: 1);
        var yielder = new StepYielder(interval: 10_000, core.Clock, core.Yield);
        core.Steps(yielder, 1_000_000);
        // 100 intervals, about 4 reads each (+1 after each yield), after a few reads to learn the step's length.
        Assert.InRange(core.Reads, 400, 700);
    }

    [Fact]
    public void TimeGivenAwayDoesNotCountAsTraining()
    {
        // Each yield loses ten intervals to other threads: still one yield per interval of the trainer's own steps.
        var core = new FakeCore(ticksPerStep: 10, ticksPerYield: 10_000);
        var yielder = new StepYielder(interval: 1_000, core.Clock, core.Yield);
        core.Steps(yielder, 100_000);
        Assert.InRange(core.Yields, 750, 1_000);
    }

    [Fact]
    public void AZeroOrNegativeIntervalNeverYields()
    {
        Assert.Null(StepYielder.Every(TimeSpan.Zero));
        Assert.Null(StepYielder.Every(TimeSpan.FromMilliseconds(-1)));
        Assert.NotNull(StepYielder.Every(TimeSpan.FromMicroseconds(200)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepYielder(0));
    }
}
