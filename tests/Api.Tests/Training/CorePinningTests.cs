using BackpropService.Api.Training;

namespace BackpropService.Api.Tests.Training;

/// <summary>
/// Concurrent trainings get a core each: the first floats, each later one is pinned to a core no other holds (while
/// cores are free), and every thread gets its earlier affinity back when its training ends.
/// </summary>
public sealed class CorePinningTests
{
    [Fact]
    public void ALoneTrainingFloatsAndLaterOnesArePinnedToCoresOfTheirOwnUntilTheyEnd()
    {
        var allowed = CorePinning.AllowedCores();
        var pinning = new CorePinning(); // not the process's: other tests' trainings run beside this one
        var trainings = allowed.Count + 2; // one floating, one per core, one with no core left
        var during = new IReadOnlyList<int>[trainings];
        var after = new IReadOnlyList<int>[trainings];
        using var entered = new CountdownEvent(trainings);
        using var end = new ManualResetEventSlim();
        var threads = Enumerable.Range(0, trainings).Select(i => new Thread(() =>
        {
            // One at a time, in order: the first is alone when it starts.
            using (pinning.Enter())
            {
                during[i] = CorePinning.AllowedCores();
                entered.Signal();
                end.Wait();
            }
            after[i] = CorePinning.AllowedCores();
        })).ToArray();
        foreach (var thread in threads)
        {
            var before = entered.CurrentCount;
            thread.Start();
            SpinWait.SpinUntil(() => entered.CurrentCount < before);
        }
        end.Set();
        foreach (var thread in threads) thread.Join();

        Assert.Equal(allowed, during[0]);
        Assert.All(after, cores => Assert.Equal(allowed, cores));
        if (!OperatingSystem.IsLinux())
        {
            Assert.All(during, cores => Assert.Equal(allowed, cores)); // affinity is set on Linux only
            return;
        }
        var pinned = during.Skip(1).Take(allowed.Count).ToArray();
        Assert.All(pinned, cores => Assert.Single(cores));
        Assert.Equal(allowed, pinned.Select(cores => cores[0]).Order());
        Assert.Equal(allowed, during[^1]);
    }

    [Fact]
    public void ACoreFreedByAnEndedTrainingGoesToTheNextOne()
    {
        var pinning = new CorePinning();
        using var first = pinning.Enter(); // floats: alone
        IReadOnlyList<int>? second = null, third = null;
        OnThread(() =>
        {
            using (pinning.Enter()) second = CorePinning.AllowedCores();
        });
        OnThread(() =>
        {
            using (pinning.Enter()) third = CorePinning.AllowedCores();
        });

        Assert.Equal(OperatingSystem.IsLinux() ? 1 : CorePinning.AllowedCores().Count, second!.Count);
        Assert.Equal(second, third);
    }

    private static void OnThread(Action action)
    {
        var thread = new Thread(() => action());
        thread.Start();
        thread.Join();
    }
}
