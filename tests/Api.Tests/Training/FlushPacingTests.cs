using BackpropService.Api.Training;

namespace BackpropService.Api.Tests.Training;

public sealed class FlushPacingTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(150);

    [Fact]
    public void AJobThatEndsWellWithinTheIntervalAtItsPaceWaitsForItsEndInsteadOfFlushing()
    {
        // Half done after 10 ms: 10 ms more at its pace, waited with a margin.
        var wait = FlushPacing.WaitForEnd(trained: 5_000, remaining: 5_000, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10), Interval);
        Assert.Equal(TimeSpan.FromMilliseconds(16), wait);
        // Every epoch trained, the thread still finishing: a moment.
        Assert.Equal(TimeSpan.FromMilliseconds(1), FlushPacing.WaitForEnd(10_000, 0, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10), Interval));
    }

    [Fact]
    public void AJobThatWouldKeepItsEpochsBeyondTheIntervalFlushes()
    {
        // 1 % done after 5 ms: ~500 ms to go.
        Assert.Null(FlushPacing.WaitForEnd(100, 9_900, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(5), Interval));
        // Close to its end, but its epochs have waited since the last flush for most of the interval already.
        Assert.Null(FlushPacing.WaitForEnd(9_000, 1_000, TimeSpan.FromMilliseconds(140), TimeSpan.FromMilliseconds(140), Interval));
        // Nothing trained yet: no pace to go by.
        Assert.Null(FlushPacing.WaitForEnd(0, 10_000, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(5), Interval));
    }
}
